import path from "node:path";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, describe, expect, it } from "vitest";
import { Config, Id, SecretsManagerVault } from "../../src/index.ts";
import { newTenant, secretValue, usedValues, vaultContract } from "./contract.ts";
import { fakeSecretsManager } from "./fake-secrets-manager.ts";
import { findLeaks } from "./scan.ts";

const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function setup(options: { recoveryWindowInDays?: number } = {}) {
  const fake = fakeSecretsManager();
  const vault = new SecretsManagerVault({
    client: fake.client,
    kmsKeyId: KMS_KEY,
    stage: "prod",
    ...options,
  });
  return { ...fake, vault };
}

vaultContract("Secrets Manager + KMS (aws-sdk-client-mock)", () => setup().vault);

// The audit trail lives in the table even when values live in Secrets Manager.
afterAll(async () => {
  expect(await findLeaks(usedValues, [path.resolve(Config.get().FG_HOME)])).toEqual([]);
});

describe("Secrets Manager adapter commands", () => {
  it("creates one secret named fg/<stage>/<account>/<secretId>, under the KMS key, tagged account/vendor/kind", async () => {
    const { vault, mock } = setup();
    const tenant = newTenant();
    const jobId = Id.create("job");
    const value = secretValue("api");
    const { ref } = await tenant.run(() =>
      vault.put({ kind: "api_key", value, vendor: "relay-mail", jobId, label: "production key" }),
    );
    const calls = mock.calls();
    expect(calls).toHaveLength(1);
    expect(mock.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: `fg/prod/${tenant.accountId}/${ref}`,
      SecretString: value,
      KmsKeyId: KMS_KEY,
      Description: JSON.stringify({ vendor: "relay-mail", jobId, label: "production key" }),
      Tags: [
        { Key: "account", Value: tenant.accountId },
        { Key: "kind", Value: "api_key" },
        { Key: "vendor", Value: "relay-mail" },
        { Key: "job", Value: jobId },
      ],
    });
  });

  it("tags a URL vendor by its host name, which tag values allow", async () => {
    const { vault, mock } = setup();
    const tenant = newTenant();
    await tenant.run(() =>
      vault.put({ kind: "password", value: secretValue(), vendor: "https://app.example.com/signup?ref=x" }),
    );
    const input = mock.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(input?.Tags).toContainEqual({ Key: "vendor", Value: "app.example.com" });
    expect(JSON.parse(input?.Description ?? "{}")).toEqual({
      vendor: "https://app.example.com/signup?ref=x",
    });
  });

  it("reads by describing (account tag, expiry, deletion) and then getting the value", async () => {
    const { vault, mock } = setup();
    const tenant = newTenant();
    const value = secretValue();
    const { ref } = await tenant.run(() => vault.put({ kind: "api_key", value }));
    mock.resetHistory();
    expect(await tenant.run(() => vault.get(ref, { reason: "read" }))).toBe(value);
    const name = `fg/prod/${tenant.accountId}/${ref}`;
    expect(mock.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ["DescribeSecretCommand", { SecretId: name }],
      ["GetSecretValueCommand", { SecretId: name }],
    ]);
  });

  it("force-deletes card secrets without a recovery window", async () => {
    const { vault, mock } = setup();
    const tenant = newTenant();
    const { ref } = await tenant.run(() =>
      vault.put({ kind: "card", value: secretValue("4242"), jobId: Id.create("job") }),
    );
    await tenant.run(() => vault.delete(ref, { reason: "job settled" }));
    expect(mock.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: `fg/prod/${tenant.accountId}/${ref}`, ForceDeleteWithoutRecovery: true },
    ]);
  });

  it("deletes every other kind with the configured recovery window", async () => {
    const { vault, mock } = setup({ recoveryWindowInDays: 7 });
    const tenant = newTenant();
    const { ref } = await tenant.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    await tenant.run(() => vault.delete(ref, { reason: "user removed it" }));
    expect(mock.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: `fg/prod/${tenant.accountId}/${ref}`, RecoveryWindowInDays: 7 },
    ]);
    mock.resetHistory();
    await expect(tenant.run(() => vault.get(ref, { reason: "after" }))).rejects.toMatchObject({
      kind: "not_found",
    });
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("lists with a name-prefix filter for the account and never asks for values", async () => {
    const { vault, mock } = setup();
    const tenant = newTenant();
    await tenant.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    mock.resetHistory();
    await tenant.run(() => vault.list());
    expect(mock.commandCalls(ListSecretsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Filters: [
          { Key: "name", Values: [`fg/prod/${tenant.accountId}/`] },
          { Key: "tag-value", Values: [tenant.accountId] },
        ],
        IncludePlannedDeletion: false,
        MaxResults: 100,
      },
    ]);
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("pages through ListSecrets", async () => {
    const { vault } = setup();
    const tenant = newTenant();
    const refs: string[] = [];
    for (let i = 0; i < 103; i++) {
      refs.push((await tenant.run(() => vault.put({ kind: "other", value: secretValue() }))).ref);
    }
    expect((await tenant.run(() => vault.list())).map((m) => m.ref)).toEqual(refs);
  });

  it("never reads a secret whose account tag disagrees with its name", async () => {
    const { vault, mock, secrets } = setup();
    const tenant = newTenant();
    const { ref } = await tenant.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    const stored = secrets.get(`fg/prod/${tenant.accountId}/${ref}`)!;
    stored.tags = stored.tags.map((t) => (t.Key === "account" ? { ...t, Value: Id.create("account") } : t));
    mock.resetHistory();
    await expect(tenant.run(() => vault.get(ref, { reason: "mismatch" }))).rejects.toMatchObject({
      kind: "not_found",
    });
    expect(mock.commandCalls(DescribeSecretCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("refuses recovery windows Secrets Manager does not allow", () => {
    expect(() => setup({ recoveryWindowInDays: 3 })).toThrow(/7 to 30/);
  });
});
