import { constants } from "node:os";
import { type AgentResult, launchBrowser, plannerFromConfig, runAgent } from "@fg/agent";
import { Actor } from "@fg/core/actor/index";
import { configureAdaptersFromEnv } from "@fg/core/adapters";
import { Job } from "@fg/core/job/index";
import { JobEvent } from "@fg/core/job-event/index";
import { log, serializeError } from "@fg/core/logger/index";
import { Orchestration, TaskGoneError } from "@fg/core/orchestrator/index";
import { Secrets } from "@fg/core/secret/index";
import { BrowserResult, StepError, Workflow, WorkflowErrors } from "@fg/core/workflow/index";
import { ExitCode, type WorkerEnv } from "./env.ts";
import { every } from "./every.ts";

const CANCEL_POLL_MS = 2_000;
/** After a stop, how long the agent may take to write its last events before the process exits anyway. */
const AGENT_GRACE_MS = 15_000;

type Stop = { reason: "canceled" } | { reason: "gone" } | { reason: "signal"; signal: NodeJS.Signals };

/**
 * Runs one job's browser step (SPEC §5.5) and reports it through the task token: a BrowserResult on
 * success, `needs_human` or agent failure; Job.Canceled when the job is canceled meanwhile; Worker.Crashed
 * on anything unexpected. Returns the process exit code (see ExitCode).
 */
export async function runWorker(env: WorkerEnv, stopSignal: AbortSignal): Promise<number> {
  const { jobId, accountId, taskToken } = env;
  // Whoever holds the token can answer for the job, so it must never reach a log line.
  Secrets.register("SECRET", taskToken);
  log.appendKeys({ jobId, accountId });
  try {
    await configureAdaptersFromEnv();
    return await Actor.system("browser worker", accountId, () => provision(env, stopSignal));
  } catch (error) {
    log.error("browser worker crashed", { error: serializeError(error) });
    const cause = serializeError(error, { stack: false }).message;
    return await report(
      () => Orchestration.use().sendTaskFailure(taskToken, WorkflowErrors.workerCrashed, cause),
      ExitCode.crashed,
    );
  } finally {
    Secrets.release(jobId);
  }
}

async function provision(env: WorkerEnv, stopSignal: AbortSignal): Promise<number> {
  const { jobId, accountId, taskToken } = env;
  const tasks = Orchestration.use();
  try {
    await tasks.sendTaskHeartbeat(taskToken);
  } catch (error) {
    if (!(error instanceof TaskGoneError)) throw error;
    log.warn("the workflow no longer waits for this task; nothing to do");
    return ExitCode.taskGone;
  }

  let job: Awaited<ReturnType<typeof Workflow.startProvisioning>>;
  try {
    job = await Workflow.startProvisioning({ jobId, accountId });
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    log.info("the job cannot be provisioned", { error: serializeError(error, { stack: false }) });
    const canceled = error.name === WorkflowErrors.canceled;
    // A job that kept changing state is worth another run; the state machine retries Worker.Crashed once.
    const name = error.name === WorkflowErrors.transient ? WorkflowErrors.workerCrashed : error.name;
    return await report(
      () => tasks.sendTaskFailure(taskToken, name, error.message),
      canceled ? ExitCode.canceled : ExitCode.crashed,
    );
  }

  await JobEvent.append({ jobId, type: "step.started", data: { name: "provision" } });
  // Playwright closes its browsers on SIGTERM too, so a launch cut short by a stop is a stop, not a crash.
  const browser = await launchBrowser().catch((error: unknown) => {
    if (stopSignal.aborted) return undefined;
    throw error;
  });
  if (!browser || stopSignal.aborted) {
    await browser?.close().catch(() => undefined);
    return stoppedBySignal(taskToken, stopSignal.reason as NodeJS.Signals);
  }
  let closing = false;
  let browserLost = false;
  browser.on("disconnected", () => {
    if (!closing) browserLost = true;
  });
  const closeBrowser = async () => {
    closing = true;
    await browser.close().catch(() => undefined);
  };

  let stop!: (why: Stop) => void;
  const stopped = new Promise<Stop>((resolve) => {
    stop = resolve;
  });
  const onStopSignal = () => stop({ reason: "signal", signal: stopSignal.reason as NodeJS.Signals });
  if (stopSignal.aborted) onStopSignal();
  stopSignal.addEventListener("abort", onStopSignal, { once: true });

  const watchers = new AbortController();
  const heartbeats = every(env.heartbeatSeconds * 1000, watchers.signal, async () => {
    try {
      await tasks.sendTaskHeartbeat(taskToken);
      log.debug("heartbeat sent");
    } catch (error) {
      if (error instanceof TaskGoneError) stop({ reason: "gone" });
      else log.warn("heartbeat failed; retrying at the next beat", { error: serializeError(error) });
    }
  });
  const cancelWatch = every(CANCEL_POLL_MS, watchers.signal, async () => {
    try {
      if ((await Job.get({ id: jobId })).status === "canceled") stop({ reason: "canceled" });
    } catch (error) {
      log.warn("could not read the job's status", { error: serializeError(error) });
    }
  });

  const abort = new AbortController();
  const agent = runAgent({
    jobId,
    vendor: job.vendor,
    goal: job.goal,
    ...(job.plan ? { plan: job.plan } : {}),
    maxSpend: job.maxSpend,
    planner: plannerFromConfig(),
    emit: async (event) => {
      await JobEvent.append({ jobId, type: event.type, data: event.data });
    },
    signal: abort.signal,
    browser,
  });

  try {
    const first = await Promise.race([
      agent.then((result) => ({ reason: "finished" as const, result })),
      stopped,
    ]);
    if (first.reason === "finished") return await finished(env, first.result, browserLost);

    abort.abort();
    await closeBrowser();
    await settle(agent, AGENT_GRACE_MS);
    switch (first.reason) {
      case "canceled":
        log.info("the job was canceled; the agent was stopped");
        return await report(
          () => tasks.sendTaskFailure(taskToken, WorkflowErrors.canceled, `Job ${jobId} was canceled`),
          ExitCode.canceled,
        );
      case "gone":
        log.warn("the workflow no longer waits for this task; the agent was stopped");
        return ExitCode.taskGone;
      case "signal":
        return await stoppedBySignal(taskToken, first.signal);
    }
  } finally {
    stopSignal.removeEventListener("abort", onStopSignal);
    watchers.abort();
    await Promise.allSettled([heartbeats, cancelWatch]);
    await closeBrowser();
  }
}

async function finished(env: WorkerEnv, result: AgentResult, browserLost: boolean): Promise<number> {
  const { jobId, taskToken } = env;
  // Chromium dying under the agent is the worker's trouble, not the vendor's: let the state machine retry.
  if (browserLost && result.outcome === "failed") {
    throw new Error(`Chromium exited during the job: ${result.reason ?? "no reason given"}`);
  }
  const output = BrowserResult.parse({
    outcome: result.outcome,
    credentialIds: result.credentials,
    spent: result.spent,
    reason: result.reason,
  });
  log.info("the agent finished", {
    outcome: output.outcome,
    credentials: output.credentialIds.length,
    spent: output.spent,
  });
  await JobEvent.append({
    jobId,
    type: output.outcome === "succeeded" ? "step.succeeded" : "step.failed",
    data: {
      name: "provision",
      outcome: output.outcome,
      ...(output.reason ? { message: output.reason } : {}),
    },
  });
  return report(() => Orchestration.use().sendTaskSuccess(taskToken, output), ExitCode.reported);
}

/** ECS stops a task with SIGTERM; the state machine retries a Worker.Crashed browser step once. */
async function stoppedBySignal(taskToken: string, signal: NodeJS.Signals): Promise<number> {
  log.warn("the worker was told to stop; the agent was stopped", { signal });
  const code = await report(
    () =>
      Orchestration.use().sendTaskFailure(
        taskToken,
        WorkflowErrors.workerCrashed,
        `The browser worker was stopped by ${signal}`,
      ),
    ExitCode.crashed,
  );
  return code === ExitCode.taskGone ? code : 128 + (constants.signals[signal] ?? constants.signals.SIGTERM);
}

/** Sends a report; a workflow that no longer waits is not an error, just nothing left to do. */
async function report(send: () => Promise<void>, code: number): Promise<number> {
  try {
    await send();
    return code;
  } catch (error) {
    if (error instanceof TaskGoneError) {
      log.warn("the workflow no longer waits for this task; the report was dropped");
      return ExitCode.taskGone;
    }
    log.error("the task report could not be sent", { error: serializeError(error) });
    return ExitCode.crashed;
  }
}

async function settle(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
