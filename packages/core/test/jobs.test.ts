import { describe, expect, it } from "vitest";
import { Job, JobEvent } from "../src/index.ts";
import { as, newAccount } from "./helpers.ts";

const free = {
  vendor: "nimbus-db",
  goal: "api_key" as const,
  maxSpend: { amount: 0, currency: "usd" as const },
};

describe("Job", () => {
  it("creates a queued job with SPEC §9's shape and a first job.status event", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const job = await Job.create({ ...free, plan: "free" });
      expect(job).toMatchObject({
        id: expect.stringMatching(/^job_/),
        vendor: "nimbus-db",
        goal: "api_key",
        plan: "free",
        status: "queued",
        maxSpend: { amount: 0, currency: "usd" },
        spend: { captured: 0, spent: 0, refunded: 0, currency: "usd" },
        credentialIds: [],
        steps: [],
      });
      expect(await Job.get({ id: job.id })).toEqual(job);
      expect(await JobEvent.list({ jobId: job.id })).toMatchObject([
        { seq: 1, type: "job.status", data: { status: "queued" } },
      ]);
    });
  });

  it("rejects bad input with the field that is wrong", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      await expect(Job.create({ ...free, maxSpend: { amount: -1, currency: "usd" } })).rejects.toMatchObject({
        kind: "input",
        errors: [{ path: "maxSpend.amount" }],
      });
      await expect(Job.create({ ...free, vendor: "http://169.254.169.254/" })).rejects.toMatchObject({
        kind: "input",
      });
      await expect(Job.create({ ...free, extra: 1 } as never)).rejects.toMatchObject({ kind: "input" });
    });
  });

  it("lists newest first with filters by status, vendor and created range", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const a = await Job.create(free);
      const b = await Job.create({ ...free, vendor: "pixel-cdn" });
      const c = await Job.create(free);
      await Job.transition({ id: c.id, to: "planning" });
      expect((await Job.list({})).data.map((j) => j.id)).toEqual([c.id, b.id, a.id]);
      expect((await Job.list({ status: "queued" })).data.map((j) => j.id)).toEqual([b.id, a.id]);
      expect((await Job.list({ vendor: "nimbus-db" })).data.map((j) => j.id)).toEqual([c.id, a.id]);
      expect((await Job.list({ status: "queued", vendor: "nimbus-db" })).data.map((j) => j.id)).toEqual([
        a.id,
      ]);
      expect((await Job.list({ createdAfter: b.createdAt })).data.map((j) => j.id)).toEqual([c.id, b.id]);
      expect((await Job.list({ createdBefore: "2000-01-01T00:00:00Z" })).data).toEqual([]);
    });
  });

  it("paginates stably: inserts during paging neither repeat nor skip the listed jobs", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await Job.create(free)).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await Job.list({ limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((j) => j.id));
        await Promise.all([Job.create(free), Job.create(free)]);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([...created].reverse());
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

  it("rejects a malformed cursor as bad input", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      await expect(Job.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ kind: "input" });
    });
  });
});

describe("JobEvent", () => {
  it("gives concurrent appends distinct, gap-free, increasing seqs", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const job = await Job.create(free);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          JobEvent.append({ jobId: job.id, type: "agent.action", data: { i } }),
        ),
      );
      const events = await JobEvent.list({ jobId: job.id });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
      expect((await JobEvent.list({ jobId: job.id, after: 10 })).map((e) => e.seq)).toEqual([11, 12, 13]);
    });
  });
});
