import { expect, it } from "vitest";
import { createLocalJobQueue } from "../../src/queue/local.ts";
import { jobQueueContract } from "./contract.ts";

jobQueueContract("local in-process", async () => {
  let now = 1_000_000;
  const queue = createLocalJobQueue({ visibilityTimeoutMs: 30_000, maxReceives: 3, now: () => now });
  return { queue, advance: (ms) => (now += ms) };
});

it("waits for a message that arrives during a long poll", async () => {
  const queue = createLocalJobQueue();
  const job = { accountId: "acct_01JD2V6ZQ4T3N8K5W7Y9B1C3EF", jobId: "job_01JD2V6ZQ4T3N8K5W7Y9B1C3EF" };
  const waiting = queue.receive({ waitMs: 5_000 });
  setTimeout(() => void queue.send(job), 50);
  expect((await waiting).map((m) => m.body)).toEqual([job]);
});
