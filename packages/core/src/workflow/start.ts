import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Job } from "../job/index.ts";
import { JobEntity } from "../job/job.entity.ts";
import { Orchestration } from "../orchestrator/registry.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";

export const StartInput = z
  .object({
    jobId: Id.schema("job"),
    accountId: Id.schema("account"),
    /** Leave the job queued while this many executions run (FG_MAX_CONCURRENT_JOBS on AWS). */
    maxRunning: z.number().int().positive().optional(),
  })
  .strict();

export const StartResult = z.object({
  outcome: z.enum(["started", "already_started", "skipped"]),
  executionId: z.string().nullable(),
  reason: z.string().nullable(),
});
export type StartResult = z.infer<typeof StartResult>;

/**
 * Starts a queued job's execution and records its id on the job. The execution is named by the job id, so a
 * redelivered message (or a crash between start and record) can never start a second run.
 */
export const start = fn(StartInput, ({ jobId, accountId, maxRunning }) =>
  Actor.system("workflow start", accountId, async (): Promise<StartResult> => {
    const found = await JobEntity.get({ accountId, id: jobId }).go({ consistent: true });
    const job = found.data;
    if (!job) return { outcome: "skipped", executionId: null, reason: "the job does not exist" };
    if (job.executionArn) return { outcome: "already_started", executionId: job.executionArn, reason: null };
    if (Job.isTerminal(job.status as Job.Status)) {
      return { outcome: "skipped", executionId: null, reason: `the job already ended as ${job.status}` };
    }
    const orchestrator = Orchestration.use();
    // A job past `queued` is already running (its execution moved it); it must not wait for a free slot.
    if (job.status === "queued" && maxRunning !== undefined && orchestrator.countRunning) {
      const running = await orchestrator.countRunning(maxRunning);
      if (running >= maxRunning) {
        throw new VisibleError(
          "rate_limited",
          "workflow.at_capacity",
          `${running} jobs are running, the most allowed at once; job ${jobId} stays queued`,
        );
      }
    }
    const started = await orchestrator.start({ jobId, accountId });
    await JobEntity.patch({ accountId, id: jobId }).set({ executionArn: started.executionId }).go();
    return {
      outcome: started.alreadyStarted ? "already_started" : "started",
      executionId: started.executionId,
      reason: null,
    };
  }),
);
