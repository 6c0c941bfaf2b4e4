import { describe, expect, it } from "vitest";
import { Id, Store } from "../src/index.ts";

const { entities } = Store.fg;
const accountId = Id.create("account");

describe("entities on DynamoDB Local", () => {
  it("account: create, get by id, query by email, update", async () => {
    const id = Id.create("account");
    await entities.account.create({ id, email: "e@example.com" }).go();
    expect((await entities.account.get({ id }).go()).data?.email).toBe("e@example.com");
    expect(
      (await entities.account.query.byEmail({ email: "e@example.com" }).go()).data.map((a) => a.id),
    ).toEqual([id]);
    await entities.account.patch({ id }).set({ name: "Ada" }).go();
    expect((await entities.account.get({ id }).go()).data?.name).toBe("Ada");
  });

  it("apiKey: by account and by hash; revocation is an update", async () => {
    const id = Id.create("apiKey");
    await entities.apiKey
      .create({ accountId, id, name: "k", prefix: "fg_sk_abc", hash: "h1", scopes: ["admin"] })
      .go();
    expect((await entities.apiKey.query.byAccount({ accountId }).go()).data.map((k) => k.id)).toContain(id);
    expect((await entities.apiKey.query.byHash({ hash: "h1" }).go()).data[0]?.id).toBe(id);
    await entities.apiKey.patch({ accountId, id }).set({ revokedAt: "2026-01-01T00:00:00.000Z" }).go();
    expect((await entities.apiKey.get({ accountId, id }).go()).data?.revokedAt).toBe(
      "2026-01-01T00:00:00.000Z",
    );
  });

  it("policy: one per account, put then patch", async () => {
    const policy = {
      accountId,
      perJobCap: 1,
      dailyCap: 2,
      monthlyCap: 3,
      approvalThreshold: 1,
      currency: "usd",
      allowRecurring: false,
      retentionDays: 30,
    };
    await entities.policy.put(policy).go();
    await entities.policy.patch({ accountId }).set({ dailyCap: 5 }).go();
    expect((await entities.policy.get({ accountId }).go()).data?.dailyCap).toBe(5);
  });

  it("job: by id, by status, by vendor; a status update moves it between status partitions", async () => {
    const id = Id.create("job");
    await entities.job
      .create({
        accountId,
        id,
        vendor: "nimbus-db",
        goal: "api_key",
        status: "queued",
        maxSpend: 0,
        currency: "usd",
      })
      .go();
    expect((await entities.job.get({ accountId, id }).go()).data?.credentialIds).toEqual([]);
    expect(
      (await entities.job.query.byStatus({ accountId, status: "queued" }).go()).data.map((j) => j.id),
    ).toContain(id);
    expect(
      (await entities.job.query.byVendor({ accountId, vendor: "nimbus-db" }).go()).data.map((j) => j.id),
    ).toContain(id);
    await entities.job.patch({ accountId, id }).set({ status: "planning" }).go();
    expect(
      (await entities.job.query.byStatus({ accountId, status: "queued" }).go()).data.map((j) => j.id),
    ).not.toContain(id);
    expect(
      (await entities.job.query.byStatus({ accountId, status: "planning" }).go()).data.map((j) => j.id),
    ).toContain(id);
  });

  it("jobEvent: ordered by seq within a job, numerically not lexically", async () => {
    const jobId = Id.create("job");
    for (const seq of [2, 10, 1]) {
      await entities.jobEvent
        .create({
          accountId,
          jobId,
          seq,
          id: Id.create("event"),
          type: "x.y",
          at: new Date().toISOString(),
          data: { seq },
        })
        .go();
    }
    const events = await entities.jobEvent.query.byJob({ accountId, jobId }).go();
    expect(events.data.map((e) => e.seq)).toEqual([1, 2, 10]);
    expect(
      (await entities.jobEvent.query.byJob({ accountId, jobId }).gt({ seq: 1 }).go()).data.map((e) => e.seq),
    ).toEqual([2, 10]);
  });

  it("vendorState: per account and vendor, updatable", async () => {
    await entities.vendorState.create({ accountId, vendor: "pixel-cdn" }).go();
    await entities.vendorState.patch({ accountId, vendor: "pixel-cdn" }).set({ hasAccount: true }).go();
    const all = await entities.vendorState.query.byAccount({ accountId }).go();
    expect(all.data.find((v) => v.vendor === "pixel-cdn")?.hasAccount).toBe(true);
  });

  it("credential: by account, by vendor, by job", async () => {
    const id = Id.create("credential");
    const jobId = Id.create("job");
    await entities.credential
      .create({
        accountId,
        id,
        vendor: "nimbus-db",
        kind: "api_key",
        label: "key",
        jobId,
        vaultRef: Id.create("secret"),
      })
      .go();
    expect((await entities.credential.get({ accountId, id }).go()).data?.jobId).toBe(jobId);
    expect(
      (await entities.credential.query.byVendor({ accountId, vendor: "nimbus-db" }).go()).data.map(
        (c) => c.id,
      ),
    ).toEqual([id]);
    expect((await entities.credential.query.byJob({ accountId, jobId }).go()).data.map((c) => c.id)).toEqual([
      id,
    ]);
    await entities.credential.patch({ accountId, id }).set({ label: "renamed" }).go();
    expect((await entities.credential.get({ accountId, id }).go()).data?.label).toBe("renamed");
  });

  it("ledgerEntry: by account in seq order and by job", async () => {
    const jobId = Id.create("job");
    for (const seq of [1, 2]) {
      await entities.ledgerEntry
        .create({
          accountId,
          seq,
          id: Id.create("ledger"),
          kind: "charge",
          jobId,
          amount: 100,
          currency: "usd",
          at: new Date().toISOString(),
          prevHash: "p",
          hash: `h${seq}`,
        })
        .go();
    }
    expect((await entities.ledgerEntry.query.byAccount({ accountId }).go()).data.map((e) => e.seq)).toEqual([
      1, 2,
    ]);
    expect((await entities.ledgerEntry.query.byJob({ accountId, jobId }).go()).data).toHaveLength(2);
  });

  it("auditEntry, idempotencyRecord and webhookReceipt: create, get, update", async () => {
    const auditId = Id.create("audit");
    await entities.auditEntry
      .create({
        accountId,
        id: auditId,
        action: "vault.get",
        actorType: "account",
        target: "sec_x",
        at: new Date().toISOString(),
      })
      .go();
    expect((await entities.auditEntry.query.byAccount({ accountId }).go()).data.map((a) => a.id)).toContain(
      auditId,
    );

    const key = { accountId, scope: "jobs.create", key: "idem-1" };
    await entities.idempotencyRecord
      .create({ ...key, requestHash: "r", status: "in_progress", expiresAt: 1 })
      .go();
    await entities.idempotencyRecord
      .patch(key)
      .set({ status: "completed", statusCode: 202, response: { ok: true } })
      .go();
    expect((await entities.idempotencyRecord.get(key).go()).data).toMatchObject({
      status: "completed",
      response: { ok: true },
    });

    const receipt = { provider: "stripe", eventId: "evt_1" };
    await entities.webhookReceipt
      .create({ ...receipt, type: "charge.refunded", receivedAt: new Date().toISOString(), expiresAt: 1 })
      .go();
    await entities.webhookReceipt.patch(receipt).set({ accountId }).go();
    expect((await entities.webhookReceipt.get(receipt).go()).data?.accountId).toBe(accountId);
    await expect(
      entities.webhookReceipt.create({ ...receipt, type: "x", receivedAt: "t", expiresAt: 1 }).go(),
    ).rejects.toThrow();
  });
});
