import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { Config, LocalTasks, StepError, WorkflowErrors } from "@fg/core";
import { spawnTied } from "../watchdog.ts";

export const WORKER_ENTRY = path.join(Config.root, "containers/browser-worker/src/main.ts");

export interface WorkerRun {
  jobId: string;
  accountId: string;
  heartbeatSeconds: number;
  timeoutSeconds: number;
  /** Seconds between the worker's own heartbeats (it must beat well within heartbeatSeconds). */
  workerHeartbeatSeconds: number;
  signal: AbortSignal;
  onSpawn?: (child: ChildProcess) => void;
  log: (line: string) => void;
}

/**
 * The local RunBrowserTask: mints a task token, starts the worker entry as a child process with the same env
 * contract as the Fargate task (JOB_ID, ACCOUNT_ID, TASK_TOKEN), and waits for its report like
 * `ecs:runTask.waitForTaskToken` does, with TimeoutSeconds and HeartbeatSeconds enforced.
 */
export async function runWorker(run: WorkerRun): Promise<unknown> {
  const token = await LocalTasks.mint({
    accountId: run.accountId,
    jobId: run.jobId,
    state: "RunBrowserTask",
  });
  const child = spawnTied(process.execPath, ["--import", "tsx", WORKER_ENTRY], {
    env: {
      ...process.env,
      JOB_ID: run.jobId,
      ACCOUNT_ID: run.accountId,
      TASK_TOKEN: token,
      FG_HEARTBEAT_SECONDS: String(run.workerHeartbeatSeconds),
    },
  });
  run.onSpawn?.(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const crashed = new AbortController();
  void exited.then(() => setTimeout(() => crashed.abort(new Error("exited")), 1500));
  const abortOn = AbortSignal.any([run.signal, crashed.signal]);
  try {
    const outcome = await LocalTasks.wait(token, {
      timeoutSeconds: run.timeoutSeconds,
      heartbeatSeconds: run.heartbeatSeconds,
      signal: abortOn,
    });
    if (outcome.status === "failed") throw new StepError(outcome.error, outcome.cause);
    return outcome.output;
  } catch (error) {
    await LocalTasks.abandon(token);
    if (crashed.signal.aborted && !run.signal.aborted) {
      throw new StepError(
        WorkflowErrors.workerCrashed,
        `The browser worker exited with code ${await exited}`,
      );
    }
    throw error;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
  }
}
