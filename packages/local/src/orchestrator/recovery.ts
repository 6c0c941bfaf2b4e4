import { Actor, Workflow } from "@fg/core";
import type { LocalRunner } from "./runner.ts";

/**
 * Durable by replay: after a restart, every job that had not ended is driven again from the top. Completed
 * steps return their recorded results and money steps are idempotent, so nothing is charged twice.
 * (On AWS, SQS and Step Functions are durable themselves; this scan is a local-runtime concern only.)
 */
export async function recoverJobs(
  runner: LocalRunner,
  log: (line: string) => void = () => {},
): Promise<number> {
  const live = await Actor.system("local recovery", undefined, () => Workflow.liveJobs());
  for (const job of live) {
    log(`recovering ${job.jobId} (was ${job.status})`);
    await runner.start({ jobId: job.jobId, accountId: job.accountId });
  }
  return live.length;
}
