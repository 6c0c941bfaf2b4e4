import { Actor, JobQueue, Workflow } from "@fg/core";
import type { LocalRunner } from "./runner.ts";

/**
 * Durable by replay: after a restart, every job that had not ended is driven again from the top. Completed
 * steps return their recorded results and money steps are idempotent, so nothing is charged twice.
 * Jobs that had started run again at once (no more than were running before the crash); jobs still queued
 * go back on the queue, so the consumer's concurrency cap holds for them as it did before.
 * (On AWS, SQS and Step Functions are durable themselves; this scan is a local-runtime concern only.)
 */
export async function recoverJobs(
  runner: LocalRunner,
  log: (line: string) => void = () => {},
): Promise<number> {
  const live = await Actor.system("local recovery", undefined, () => Workflow.liveJobs());
  for (const job of live) {
    log(`recovering ${job.jobId} (was ${job.status})`);
    const message = { jobId: job.jobId, accountId: job.accountId };
    if (job.status === "queued") await JobQueue.use().send(message);
    else await runner.start(message);
  }
  return live.length;
}
