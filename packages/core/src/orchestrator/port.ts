/** How a job's execution is started and how long-running tasks (approval, browser) report back. */
export interface Orchestrator {
  /** Starts the job's execution; the name is the job id, so a second start is a no-op. */
  start(input: {
    jobId: string;
    accountId: string;
  }): Promise<{ executionId: string; alreadyStarted: boolean }>;
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
  /** Rejects with TaskGoneError when the waiting state no longer waits (timed out, canceled, finished). */
  sendTaskHeartbeat(token: string): Promise<void>;
  /**
   * How many executions are running, counting no further than `upTo`: the jobs consumer only needs to know
   * whether its concurrency cap is reached. Absent where the runtime caps concurrency itself (local).
   */
  countRunning?(upTo: number): Promise<number>;
}

export class TaskGoneError extends Error {
  override readonly name = "TaskGoneError";
}
