import { describe, expect, it } from "vitest";
import { CredentialEntity } from "../../src/credential/credential.entity.ts";
import { Account, Actor, Audit, Credential, Job, Secrets, Vault } from "../../src/index.ts";

async function setup() {
  const { account } = await Account.signup({ email: `cred-${Date.now()}-${Math.random()}@example.com` });
  const as = <R>(cb: () => R, apiKeyId = "key_test", scopes: Actor.Scope[] = ["admin"]) =>
    Actor.provide({ type: "account", properties: { accountId: account.id, apiKeyId, scopes } }, cb);
  const job = await as(() =>
    Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
  );
  return { accountId: account.id, job, as };
}

describe("Credential", () => {
  it("stores the value in the vault and only metadata in the credential row", async () => {
    const { accountId, job, as } = await setup();
    const value = "nmb_live_credential_value_001";
    const info = await as(() =>
      Credential.store({ jobId: job.id, vendor: "nimbus-db", kind: "api_key", label: "default", value }),
    );
    expect(info).toEqual({
      id: expect.stringMatching(/^cred_/),
      vendor: "nimbus-db",
      kind: "api_key",
      label: "default",
      createdAt: expect.any(String),
      jobId: job.id,
    });
    const row = await CredentialEntity.get({ accountId, id: info.id }).go();
    expect(JSON.stringify(row.data)).not.toContain(value);
    expect(row.data?.vaultRef).toMatch(/^sec_/);
    expect(await as(() => Credential.get({ id: info.id }))).toEqual(info);
    expect(Secrets.redact(value)).toBe("{{API_KEY}}");
    Secrets.release(job.id);
  });

  it("reveals the value to a key with credentials:read, audited", async () => {
    const { job, as } = await setup();
    const value = "nmb_live_credential_value_002";
    const info = await as(() =>
      Credential.store({ jobId: job.id, vendor: "nimbus-db", kind: "api_key", label: "k", value }),
    );
    expect(
      await as(() => Credential.reveal({ id: info.id, reason: "fg credentials get" }), "key_reader", [
        "credentials:read",
      ]),
    ).toEqual({ id: info.id, value });
    await expect(
      as(() => Credential.reveal({ id: info.id, reason: "nope" }), "key_jobs", ["jobs:read"]),
    ).rejects.toMatchObject({ kind: "forbidden" });
    const { data } = await as(() => Audit.list({ limit: 10 }));
    expect(data.slice(0, 2).map((e) => [e.action, e.target, e.apiKeyId])).toEqual([
      ["vault.get", expect.stringMatching(/^sec_/), "key_reader"],
      ["credential.reveal", info.id, "key_reader"],
    ]);
    Secrets.release(job.id);
  });

  it("lists by vendor and job with cursor pagination, never with values", async () => {
    const { job, as } = await setup();
    const stored = [];
    for (const vendor of ["nimbus-db", "nimbus-db", "relay-mail"]) {
      stored.push(
        await as(() =>
          Credential.store({
            jobId: job.id,
            vendor,
            kind: "password",
            label: vendor,
            value: `pw-${vendor}-value`,
          }),
        ),
      );
    }
    const first = await as(() => Credential.list({ limit: 2 }));
    expect(first.data).toHaveLength(2);
    const second = await as(() => Credential.list({ limit: 2, cursor: first.nextCursor! }));
    expect([...first.data, ...second.data].map((c) => c.id).sort()).toEqual(stored.map((c) => c.id).sort());
    expect((await as(() => Credential.list({ vendor: "relay-mail", limit: 10 }))).data).toHaveLength(1);
    expect(
      (await as(() => Credential.list({ jobId: job.id, vendor: "nimbus-db", limit: 10 }))).data,
    ).toHaveLength(2);
    expect(JSON.stringify(first)).not.toContain("pw-");
    Secrets.release(job.id);
  });

  it("removes the credential and its vault secret; other accounts see nothing", async () => {
    const owner = await setup();
    const other = await setup();
    const info = await owner.as(() =>
      Credential.store({
        jobId: owner.job.id,
        vendor: "pixel-cdn",
        kind: "api_key",
        label: "k",
        value: "px-remove-me-01",
      }),
    );
    await expect(other.as(() => Credential.get({ id: info.id }))).rejects.toMatchObject({
      kind: "not_found",
    });
    await expect(other.as(() => Credential.reveal({ id: info.id, reason: "snoop" }))).rejects.toMatchObject({
      kind: "not_found",
    });
    await owner.as(() => Credential.remove({ id: info.id }));
    await expect(owner.as(() => Credential.get({ id: info.id }))).rejects.toMatchObject({
      kind: "not_found",
    });
    expect(await owner.as(() => Vault.use().list({ jobId: owner.job.id }))).toEqual([]);
    Secrets.release(owner.job.id);
  });

  it("does not take card details as a credential", async () => {
    const { job, as } = await setup();
    await expect(
      as(() =>
        Credential.store({
          jobId: job.id,
          vendor: "relay-mail",
          kind: "card" as never,
          label: "card",
          value: "4242424242424242",
        }),
      ),
    ).rejects.toMatchObject({ kind: "input" });
  });
});
