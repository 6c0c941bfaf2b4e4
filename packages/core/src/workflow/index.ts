import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Job } from "../job/index.ts";
import { JobEntity } from "../job/job.entity.ts";
import { JobEvent } from "../job-event/index.ts";
import { Money } from "../money/index.ts";
import { Orchestration } from "../orchestrator/registry.ts";
import { Policy } from "../policy/index.ts";
import { Secrets } from "../secret/index.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { VendorState } from "../vendor-state/index.ts";
import { WorkflowErrors } from "./definition.ts";
import { canceled, StepError } from "./errors.ts";
import * as Start from "./start.ts";
import { StepRecord } from "./steps.ts";

export {
  LambdaStates,
  stateFunction,
  type WorkflowDefinition,
  WorkflowErrors,
  type WorkflowFunction,
  type WorkflowParams,
  workflowDefinition,
} from "./definition.ts";
export { canceled, StepError } from "./errors.ts";
export { StepRecord } from "./steps.ts";

/** The error a failed state hands to Compensate/MarkFailed, as Step Functions shapes it. */
const StateError = z.object({ Error: z.string(), Cause: z.string().optional() }).loose();

const Ref = { jobId: Id.schema("job"), accountId: Id.schema("account") };

/** What the browser task reports back through its task token. */
export const BrowserResult = z.object({
  outcome: z.enum(["succeeded", "failed", "needs_human"]),
  credentialIds: z.array(Id.schema("credential")),
  spent: z.number().int().min(0),
  reason: z.string().nullable(),
});
export type BrowserResult = z.infer<typeof BrowserResult>;

/**
 * The steps of the provisioning state machine (SPEC §5). Every step runs as the system actor scoped to the
 * job's account, is safe to replay (a completed step returns its recorded result), and honours cancel.
 */
const APPROVED: readonly Job.Status[] = ["charging", "issuing_card", "provisioning", "settling"];

export namespace Workflow {
  const input = <S extends z.ZodRawShape>(shape: S) => z.object({ ...Ref, ...shape }).loose();

  function step<S extends z.ZodType<{ jobId: string; accountId: string }>, R>(
    name: string,
    schema: S,
    run: (input: z.output<S>) => Promise<R>,
    options: { record: boolean } = { record: true },
  ) {
    return fn(schema, (parsed) =>
      Actor.system(`workflow ${name}`, parsed.accountId, () =>
        options.record ? StepRecord.once(parsed.jobId, name, () => run(parsed)) : run(parsed),
      ),
    );
  }

  /** Jobs of every account that have not ended: what the local runtime drives again after a restart. */
  export async function liveJobs(): Promise<{ jobId: string; accountId: string; status: string }[]> {
    Actor.assertSystem();
    const live = await JobEntity.scan
      .where((a, op) => Job.terminal.map((status) => op.ne(a.status, status)).join(" AND "))
      .go({ pages: "all", attributes: ["accountId", "id", "status"] });
    return live.data.map((j) => ({ jobId: j.id, accountId: j.accountId, status: j.status }));
  }

  /** Moves the job into `status` unless it is already there; a canceled job stops the workflow. */
  export async function enter(jobId: string, status: Job.Status): Promise<Job.Info> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const job = await Job.get({ id: jobId });
      if (job.status === "canceled") throw canceled(jobId);
      if (job.status === status) return job;
      if (Job.isTerminal(job.status))
        throw new StepError("Job.Finished", `Job ${jobId} already ended as ${job.status}`);
      try {
        return await Job.transition({ id: jobId, to: status });
      } catch (error) {
        if (!(error instanceof VisibleError && error.code === "job.concurrent_transition")) throw error;
      }
    }
    throw new StepError(WorkflowErrors.transient, `Job ${jobId} kept changing state`);
  }

  async function stepEvent(jobId: string, type: "step.started" | "step.succeeded", name: string, data = {}) {
    await JobEvent.append({ jobId, type, data: { name, ...data } });
  }

  /** The jobs queue consumer's step: start the job's execution (named by the job id) and record its id. */
  export const start = Start.start;
  export type StartResult = Start.StartResult;

  export const plan = step("Plan", input({}), async ({ jobId }) => {
    const job = await enter(jobId, "planning");
    const vendor = await VendorState.get({ vendor: job.vendor });
    const result = {
      free: job.maxSpend.amount === 0,
      vendor: job.vendor,
      goal: job.goal,
      hasAccount: vendor.hasAccount,
    };
    await stepEvent(jobId, "step.succeeded", "plan", result);
    return result;
  });

  export const checkPolicy = step("CheckPolicy", input({}), async ({ jobId }) => {
    const job = await Job.get({ id: jobId });
    if (job.status === "canceled") throw canceled(jobId);
    const verdict = await Policy.check({
      vendor: job.vendor,
      amount: job.maxSpend.amount,
      currency: job.maxSpend.currency,
    });
    if (verdict.outcome === "deny") {
      throw new StepError("Policy.Denied", verdict.reasons.map((r) => r.message).join("; "));
    }
    await stepEvent(jobId, "step.succeeded", "policy", { outcome: verdict.outcome });
    return { needsApproval: verdict.outcome === "needs_approval", reasons: verdict.reasons };
  });

  /** Parks the job until `Job.approve` hands the token back (or the state's timeout cancels it). */
  export const requestApproval = step(
    "WaitForApproval",
    input({ taskToken: z.string().min(1) }),
    async ({ jobId, accountId, taskToken }) => {
      const job = await Job.get({ id: jobId });
      if (job.status === "canceled") throw canceled(jobId);
      // Approved while this step was being retried or replayed: hand the token straight back.
      if (APPROVED.includes(job.status)) {
        await Orchestration.use().sendTaskSuccess(taskToken, { approved: true });
        return { waiting: false };
      }
      // The token is stored before the status changes, so an approval can never find the job without it.
      await JobEntity.patch({ accountId, id: jobId }).set({ approvalToken: taskToken }).go();
      await enter(jobId, "awaiting_approval");
      return { waiting: true };
    },
    // Each wait has a fresh token, so the step must store it again on replay.
    { record: false },
  );

  export const charge = step("Charge", input({}), async ({ jobId }) => {
    await enter(jobId, "charging");
    try {
      return await Money.chargeForJob({ jobId });
    } catch (error) {
      if (error instanceof VisibleError && error.kind !== "conflict")
        throw new StepError("Payment.Failed", error.message);
      throw error;
    }
  });

  export const issueCard = step("IssueCard", input({}), async ({ jobId }) => {
    await enter(jobId, "issuing_card");
    return Money.issueCardForJob({ jobId });
  });

  /** Called by the browser worker when it starts. */
  export const startProvisioning = step(
    "StartProvisioning",
    input({}),
    async ({ jobId }) => {
      const job = await enter(jobId, "provisioning");
      return { vendor: job.vendor, goal: job.goal, plan: job.plan, maxSpend: job.maxSpend.amount };
    },
    { record: false },
  );

  export const settle = step(
    "Settle",
    input({ browser: BrowserResult }),
    async ({ jobId, accountId, browser }) => {
      if (browser.outcome === "failed")
        throw new StepError("Agent.Failed", browser.reason ?? "The browser agent failed");
      await enter(jobId, "settling");
      if (browser.credentialIds.length > 0) {
        const job = await Job.get({ id: jobId });
        const credentialIds = [...new Set([...job.credentialIds, ...browser.credentialIds])];
        await JobEntity.patch({ accountId, id: jobId }).set({ credentialIds }).go();
      }
      if (browser.outcome === "needs_human") {
        const money = await Money.compensateJob({
          jobId,
          reason: browser.reason ?? "The vendor needs a human",
        });
        await finish(jobId, "needs_human", {
          code: "needs_human",
          message: browser.reason ?? "The vendor needs a human",
        });
        return { outcome: "needs_human" as const, refunded: money.refunded };
      }
      const money = await Money.settleJob({ jobId });
      await finish(jobId, "succeeded");
      return { outcome: "succeeded" as const, refunded: money.refunded };
    },
  );

  export const notify = step("Notify", input({}), async ({ jobId }) => {
    Secrets.release(jobId);
    return { notified: true };
  });

  /** Undoes the money of a failed or canceled job; safe to run for a job that never charged. */
  export const compensate = step(
    "Compensate",
    input({ error: StateError.optional(), outcome: z.enum(["failed", "canceled"]) }),
    async ({ jobId, error, outcome }) => {
      const reason = outcome === "canceled" ? canceledReason(error) : describe(error);
      const money = await Money.compensateJob({ jobId, reason });
      if (outcome === "canceled") {
        await finish(jobId, "canceled");
        // Canceled is the last state of this path: nothing after it would release the job's secrets.
        Secrets.release(jobId);
      }
      return { refunded: money.refunded, reason };
    },
  );

  export const markFailed = step(
    "MarkFailed",
    input({ error: StateError.optional() }),
    async ({ jobId, error }) => {
      await finish(jobId, "failed", { code: failureCode(error), message: describe(error) });
      Secrets.release(jobId);
      return { status: "failed" as const };
    },
  );

  async function finish(jobId: string, to: Job.Status, failure?: Job.Failure) {
    const job = await Job.get({ id: jobId });
    if (Job.isTerminal(job.status)) return;
    await Job.transition({ id: jobId, to, ...(failure ? { failure } : {}) }).catch(async (error: unknown) => {
      if (!Job.isTerminal((await Job.get({ id: jobId })).status)) throw error;
    });
  }

  function describe(error: z.infer<typeof StateError> | undefined): string {
    if (!error) return "The job failed";
    const cause = error.Cause ? parseCause(error.Cause) : "";
    return Secrets.redact(cause || error.Error).slice(0, 1000);
  }

  /** Lambda failures arrive as a JSON cause ({ errorMessage, … }); local ones as the plain message. */
  function parseCause(cause: string): string {
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: string };
      return parsed.errorMessage ?? cause;
    } catch {
      return cause;
    }
  }

  function failureCode(error: z.infer<typeof StateError> | undefined): string {
    if (!error) return "job.failed";
    if (error.Error === "States.Timeout" || error.Error === "States.HeartbeatTimeout") return "job.timeout";
    return error.Error.replace(/[^A-Za-z0-9._]/g, "_")
      .toLowerCase()
      .slice(0, 100);
  }

  function canceledReason(error: z.infer<typeof StateError> | undefined): string {
    if (error?.Error === "States.Timeout") return "Approval timed out";
    return "Canceled by the user";
  }
}
