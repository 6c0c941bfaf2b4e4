import "./polyfill.ts";
import type { ChildProcess } from "node:child_process";
import {
  Actor,
  canceled,
  Job,
  LocalTasks,
  StepError,
  StepRecord,
  stateFunction,
  Workflow,
  type WorkflowFunction,
  type WorkflowParams,
  workflowDefinition,
} from "@fg/core";
import { StateMachine } from "aws-local-stepfunctions";
import { watchCancel } from "./cancel-watch.ts";
import { runWorker } from "./worker-process.ts";

export interface LocalRunnerOptions {
  /** How long a job may wait for approval before it is canceled. */
  approvalTimeoutSeconds?: number;
  browserTimeoutSeconds?: number;
  browserHeartbeatSeconds?: number;
  workerHeartbeatSeconds?: number;
  /** Retry pauses in the local engine, in ms (the ASL's IntervalSeconds are sized for AWS). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

type Handler = (payload: Record<string, unknown>) => Promise<unknown>;

/** Lambda states run the same core steps as the Lambdas, with the same Lambda-shaped payloads. */
const lambdas: Record<Exclude<WorkflowFunction, "requestApproval">, Handler> = {
  plan: (p) => Workflow.plan(p as never),
  checkPolicy: (p) => Workflow.checkPolicy(p as never),
  charge: (p) => Workflow.charge(p as never),
  issueCard: (p) => Workflow.issueCard(p as never),
  settle: (p) => Workflow.settle(p as never),
  notify: (p) => Workflow.notify(p as never),
  compensate: (p) => Workflow.compensate(p as never),
  markFailed: (p) => Workflow.markFailed(p as never),
};

const localArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:fg-local-${name}`;

/**
 * Executes the provisioning state machine locally with aws-local-stepfunctions: the very ASL that
 * stacks/workflow.ts deploys, with Task states mapped to local functions and task tokens minted here.
 * One execution per job at a time; a job that is already running or finished is not started again.
 */
export function createLocalRunner(options: LocalRunnerOptions = {}) {
  const log = options.log ?? (() => {});
  const browserHeartbeatSeconds = options.browserHeartbeatSeconds ?? 60;
  const params: WorkflowParams = {
    functionArns: Object.fromEntries(
      Object.values(stateFunction).map((f) => [f, localArn(f)]),
    ) as WorkflowParams["functionArns"],
    browserTask: {
      cluster: "arn:aws:ecs:us-east-1:000000000000:cluster/fg-local",
      taskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/fg-local-browser:1",
      containerName: "browser-worker",
      subnets: ["subnet-local"],
      securityGroups: ["sg-local"],
      assignPublicIp: false,
      heartbeatSeconds: browserHeartbeatSeconds,
      timeoutSeconds: options.browserTimeoutSeconds ?? 900,
    },
    approvalTimeoutSeconds: options.approvalTimeoutSeconds ?? 3600,
  };
  const definition = workflowDefinition(params);
  const machine = new StateMachine(definition as never);
  const running = new Map<string, Promise<void>>();
  const children = new Map<ChildProcess, string>();
  const shutdown = new AbortController();

  const retryStates = Object.keys(definition.States).filter(
    (name) => "Retry" in (definition.States as Record<string, object>)[name]!,
  );

  async function approval(input: { Payload: { jobId: string; accountId: string } }) {
    const { jobId, accountId } = input.Payload;
    const token = await LocalTasks.mint({ accountId, jobId, state: "WaitForApproval" });
    await Workflow.requestApproval({ jobId, accountId, taskToken: token });
    log(`${jobId} waits for approval`);
    const watch = watchCancel(jobId, accountId, shutdown.signal);
    try {
      const outcome = await LocalTasks.wait(token, {
        timeoutSeconds: params.approvalTimeoutSeconds,
        signal: watch.signal,
      });
      if (outcome.status === "failed") throw new StepError(outcome.error, outcome.cause);
      return outcome.output as Record<string, unknown>;
    } catch (error) {
      if (watch.canceled()) throw canceled(jobId);
      throw error;
    } finally {
      watch.dispose();
    }
  }

  async function browser(input: {
    Overrides: { ContainerOverrides: { Environment: { Name: string; Value: string }[] }[] };
  }) {
    const env = Object.fromEntries(
      input.Overrides.ContainerOverrides[0]!.Environment.map((e) => [e.Name, e.Value]),
    );
    const jobId = env.JOB_ID!;
    const accountId = env.ACCOUNT_ID!;
    return Actor.system("local browser task", accountId, () =>
      StepRecord.once(jobId, "RunBrowserTask", async () => {
        const watch = watchCancel(jobId, accountId, shutdown.signal);
        log(`${jobId} starts the browser worker`);
        try {
          return await runWorker({
            jobId,
            accountId,
            heartbeatSeconds: browserHeartbeatSeconds,
            timeoutSeconds: params.browserTask.timeoutSeconds,
            workerHeartbeatSeconds: options.workerHeartbeatSeconds ?? 5,
            signal: watch.signal,
            onSpawn: (child) => {
              children.set(child, jobId);
              child.once("exit", () => children.delete(child));
            },
            log,
          });
        } catch (error) {
          if (watch.canceled()) throw canceled(jobId);
          throw error;
        } finally {
          watch.dispose();
        }
      }),
    );
  }

  const overrides = {
    taskResourceLocalHandlers: {
      ...Object.fromEntries(
        Object.entries(stateFunction)
          .filter(([state]) => state !== "WaitForApproval")
          .map(([state, f]) => [
            state,
            (input: unknown) => lambdas[f as keyof typeof lambdas](input as never),
          ]),
      ),
      WaitForApproval: (input: unknown) => approval(input as never),
      RunBrowserTask: (input: unknown) => browser(input as never),
    } as never,
    retryIntervalOverrides: Object.fromEntries(retryStates.map((s) => [s, options.retryIntervalMs ?? 250])),
  };

  async function execute(jobId: string, accountId: string) {
    const execution = machine.run(
      { jobId, accountId },
      {
        overrides,
        noThrowOnAbort: true,
        context: {
          Execution: { Id: `local:${jobId}`, Name: jobId },
          Task: { Token: "minted-by-the-local-runner" },
        } as never,
      },
    );
    const onShutdown = () => execution.abort();
    shutdown.signal.addEventListener("abort", onShutdown, { once: true });
    try {
      await execution.result;
      log(`${jobId} execution finished`);
    } catch (error) {
      log(`${jobId} execution ended in ${(error as Error).name}`);
    } finally {
      shutdown.signal.removeEventListener("abort", onShutdown);
    }
  }

  return {
    definition,
    /** Starts the job's execution unless one is running or the job already ended. */
    async start({
      jobId,
      accountId,
    }: {
      jobId: string;
      accountId: string;
    }): Promise<{ alreadyStarted: boolean }> {
      if (shutdown.signal.aborted) throw new Error("the local runner is stopping");
      if (running.has(jobId)) return { alreadyStarted: true };
      const job = await Actor.system("local runner", accountId, () => Job.get({ id: jobId }));
      if (Job.isTerminal(job.status)) return { alreadyStarted: true };
      if (running.has(jobId)) return { alreadyStarted: true };
      const done = execute(jobId, accountId).finally(() => running.delete(jobId));
      running.set(jobId, done);
      return { alreadyStarted: false };
    },
    running: () => running.size,
    /** This runner's live browser workers: the pid is the tying shell's, the worker is its only child. */
    workers: () => [...children].map(([child, jobId]) => ({ jobId, pid: child.pid ?? 0 })),
    /** Resolves when no execution is running. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async stop(): Promise<void> {
      shutdown.abort(new Error("runtime stopping"));
      for (const child of children.keys()) child.kill("SIGTERM");
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type LocalRunner = ReturnType<typeof createLocalRunner>;
