// The credential vault's key. Who may use Secrets Manager under fg/<stage>/ (and with which tags) is
// data in packages/core/src/infra/iam.ts; the key is usable only through Secrets Manager.
import { vaultKeyAlias } from "@fg/core/infra/names";

export const vaultKey = new aws.kms.Key("VaultKey", {
  description: `fg ${$app.stage}: credential vault (Secrets Manager) and platform secrets`,
  enableKeyRotation: true,
  deletionWindowInDays: 30,
});

new aws.kms.Alias("VaultKeyAlias", {
  name: vaultKeyAlias($app.name, $app.stage),
  targetKeyId: vaultKey.keyId,
});
