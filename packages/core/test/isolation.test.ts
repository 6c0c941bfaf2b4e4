import { describe, expect, it } from "vitest";
import { ApiKey, Id, Job, JobEvent, Store, VendorState } from "../src/index.ts";
import { as, newAccount } from "./helpers.ts";

describe("tenant isolation", async () => {
  const alice = await newAccount();
  const bob = await newAccount();
  const job = await as(alice.accountId, () =>
    Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
  );
  await as(alice.accountId, () => VendorState.upsert({ vendor: "nimbus-db", hasAccount: true }));
  const aliceKey = (await as(alice.accountId, () => ApiKey.list({})))[0]!;
  const credentialId = Id.create("credential");
  await Store.fg.entities.credential
    .create({
      accountId: alice.accountId,
      id: credentialId,
      vendor: "nimbus-db",
      kind: "api_key",
      label: "k",
      jobId: job.id,
      vaultRef: "sec_x",
    })
    .go();

  it("hides another account's job: get, transition and event append all say not found", async () => {
    await as(bob.accountId, async () => {
      await expect(Job.get({ id: job.id })).rejects.toMatchObject({ kind: "not_found" });
      await expect(Job.transition({ id: job.id, to: "canceled" })).rejects.toMatchObject({
        kind: "not_found",
      });
      await expect(JobEvent.list({ jobId: job.id })).rejects.toMatchObject({ kind: "not_found" });
      await expect(JobEvent.append({ jobId: job.id, type: "job.note" })).rejects.toMatchObject({
        kind: "not_found",
      });
    });
    await as(alice.accountId, async () => {
      expect((await Job.get({ id: job.id })).status).toBe("queued");
      expect(await JobEvent.list({ jobId: job.id })).toHaveLength(1);
    });
  });

  it("lists only the actor's own jobs", async () => {
    await as(bob.accountId, async () => {
      expect((await Job.list({})).data).toEqual([]);
      expect((await Job.list({ vendor: "nimbus-db" })).data).toEqual([]);
    });
  });

  it("keeps vendor state per account", async () => {
    await as(bob.accountId, async () => {
      expect((await VendorState.get({ vendor: "nimbus-db" })).hasAccount).toBe(false);
      await VendorState.upsert({ vendor: "nimbus-db", hasKey: true });
    });
    await as(alice.accountId, async () => {
      expect(await VendorState.get({ vendor: "nimbus-db" })).toMatchObject({
        hasAccount: true,
        hasKey: false,
      });
    });
  });

  it("does not let another account revoke a key", async () => {
    await as(bob.accountId, async () => {
      await expect(ApiKey.revoke({ id: aliceKey.id })).rejects.toMatchObject({ kind: "not_found" });
    });
    expect(await ApiKey.verify({ secret: alice.secret })).toMatchObject({
      properties: { accountId: alice.accountId },
    });
  });

  it("scopes credential rows by account in the key itself", async () => {
    const asBob = await Store.fg.entities.credential.get({ accountId: bob.accountId, id: credentialId }).go();
    expect(asBob.data).toBeNull();
    const asAlice = await Store.fg.entities.credential
      .get({ accountId: alice.accountId, id: credentialId })
      .go();
    expect(asAlice.data?.id).toBe(credentialId);
  });

  it("refuses account-scoped work without an account actor", async () => {
    await expect(Job.list({})).rejects.toMatchObject({ kind: "auth" });
  });
});
