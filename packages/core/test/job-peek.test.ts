import { describe, expect, it } from "vitest";
import { Job } from "../src/index.ts";
import { singleFlight } from "../src/util/single-flight.ts";
import { as, newAccount } from "./helpers.ts";

const free = {
  vendor: "nimbus-db",
  goal: "api_key" as const,
  maxSpend: { amount: 0, currency: "usd" as const },
};

describe("singleFlight", () => {
  it("runs once for concurrent callers of one key and again once that run settled", async () => {
    const shared = singleFlight<number>();
    let runs = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = async () => {
      runs++;
      await gate;
      return runs;
    };
    const first = shared("a", run);
    const second = shared("a", run);
    const other = shared("b", run);
    release();
    expect(await Promise.all([first, second, other])).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    expect(await shared("a", run)).toBe(3);
  });

  it("shares a failure with the callers waiting on it and forgets it afterwards", async () => {
    const shared = singleFlight<string>();
    const failing = () => Promise.reject(new Error("boom"));
    await expect(Promise.all([shared("k", failing), shared("k", failing)])).rejects.toThrow("boom");
    expect(await shared("k", async () => "ok")).toBe("ok");
  });
});

describe("Job.peek", () => {
  it("shows the job as get does, including a status written just before", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const job = await Job.create(free);
      const peeks = await Promise.all(Array.from({ length: 20 }, () => Job.peek({ id: job.id })));
      for (const peeked of peeks) expect(peeked).toEqual(job);
      await Job.transition({ id: job.id, to: "planning" });
      expect((await Job.peek({ id: job.id })).status).toBe("planning");
      expect(await Job.peek({ id: job.id })).toEqual(await Job.get({ id: job.id }));
    });
  });

  it("never shares one account's read with another account peeking at the same id", async () => {
    const owner = await newAccount();
    const stranger = await newAccount();
    const job = await as(owner.accountId, () => Job.create(free));
    const [mine, theirs] = await Promise.allSettled([
      as(owner.accountId, () => Job.peek({ id: job.id })),
      as(stranger.accountId, () => Job.peek({ id: job.id })),
    ]);
    expect(mine).toMatchObject({ status: "fulfilled", value: { id: job.id } });
    expect(theirs).toMatchObject({ status: "rejected", reason: { kind: "not_found" } });
  });
});
