import { describe, expect, it } from "vitest";
import { Id, Job, Store } from "../src/index.ts";
import { as, newAccount } from "./helpers.ts";

const statuses = Job.Status.options;

/** Puts a job directly in a given state, to test each edge of the table in isolation. */
async function jobIn(accountId: string, status: Job.Status): Promise<string> {
  const id = Id.create("job");
  await Store.fg.entities.job
    .create({ accountId, id, vendor: "nimbus-db", goal: "api_key", status, maxSpend: 0, currency: "usd" })
    .go();
  return id;
}

describe("Job.transition", async () => {
  const { accountId } = await newAccount();
  const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));
  const allowed = pairs.filter(([from, to]) => Job.canTransition(from, to));
  const forbidden = pairs.filter(([from, to]) => !Job.canTransition(from, to));

  it("has terminal states with no way out and every live state able to fail and cancel", () => {
    for (const s of Job.terminal) expect(Job.allowedTransitions[s]).toEqual([]);
    for (const s of statuses.filter((s) => !Job.terminal.includes(s) && s !== "settling")) {
      expect(Job.allowedTransitions[s]).toEqual(expect.arrayContaining(["failed", "canceled"]));
    }
  });

  it.each(allowed)("allows %s → %s and records it as an event", async (from, to) => {
    await as(accountId, async () => {
      const id = await jobIn(accountId, from);
      const job = await Job.transition({ id, to });
      expect(job.status).toBe(to);
      expect((await Job.get({ id })).status).toBe(to);
    });
  });

  it.each(forbidden)("rejects %s → %s and leaves the job as it was", async (from, to) => {
    await as(accountId, async () => {
      const id = await jobIn(accountId, from);
      await expect(Job.transition({ id, to })).rejects.toMatchObject({
        kind: "conflict",
        code: "job.illegal_transition",
      });
      expect((await Job.get({ id })).status).toBe(from);
    });
  });

  it("lets exactly one of two racing transitions from the same state win", async () => {
    await as(accountId, async () => {
      const id = await jobIn(accountId, "provisioning");
      const results = await Promise.allSettled([
        Job.transition({ id, to: "settling" }),
        Job.transition({ id, to: "canceled" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { kind: "conflict" } });
    });
  });

  it("records the failure reason and sets a TTL when a job ends", async () => {
    await as(accountId, async () => {
      const id = await jobIn(accountId, "provisioning");
      const job = await Job.transition({
        id,
        to: "failed",
        failure: { code: "vendor.down", message: "Vendor returned 503" },
      });
      expect(job.failure).toEqual({ code: "vendor.down", message: "Vendor returned 503" });
      const raw = await Store.fg.entities.job.get({ accountId, id }).go();
      expect(raw.data?.expiresAt).toBeGreaterThan(Date.now() / 1000);
    });
  });
});
