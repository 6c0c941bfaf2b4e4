import { LocalVault } from "./local.ts";
import * as port from "./port.ts";
import { SecretsManagerVault } from "./secrets-manager.ts";

export { VaultIntegrityError } from "./envelope.ts";
export { MasterKeys } from "./master-key.ts";
export type { SecretsManagerVaultOptions } from "./secrets-manager.ts";
export { LocalVault, SecretsManagerVault };

export namespace Vault {
  export const Kind = port.Kind;
  export type Kind = port.Kind;
  export const Meta = port.Meta;
  export type Meta = port.Meta;
  export const PutInput = port.PutInput;
  export type PutInput = port.PutInput;
  export const ListFilter = port.ListFilter;
  export type ListFilter = port.ListFilter;
  export type Port = port.Port;

  let configured: Port | undefined;

  /** Secrets Manager + KMS when FG_VAULT_KMS_KEY_ID is set (AWS), local envelope encryption otherwise. */
  export function fromEnvironment(): Port {
    const kmsKeyId = process.env.FG_VAULT_KMS_KEY_ID;
    return kmsKeyId ? new SecretsManagerVault({ kmsKeyId }) : new LocalVault();
  }

  /** The configured adapter. */
  export function use(): Port {
    configured ??= fromEnvironment();
    return configured;
  }

  export function configure(adapter: Port): void {
    configured = adapter;
  }
}
