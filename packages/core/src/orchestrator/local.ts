import { LocalTasks } from "./local-tasks.ts";
import type { Orchestrator } from "./port.ts";

/** The local runtime's orchestrator: starting goes to the local runner; task reports go through the table. */
export function createLocalOrchestrator(options: {
  start: (input: { jobId: string; accountId: string }) => Promise<{ alreadyStarted: boolean }>;
}): Orchestrator {
  return {
    async start(input) {
      const { alreadyStarted } = await options.start(input);
      return { executionId: `local:${input.jobId}`, alreadyStarted };
    },
    sendTaskSuccess: (token, output) => LocalTasks.succeed(token, output),
    sendTaskFailure: (token, error, cause) => LocalTasks.fail(token, error, cause),
    sendTaskHeartbeat: (token) => LocalTasks.heartbeat(token),
  };
}

/** For processes that only report (the browser worker): no start, reports through the table. */
export function createLocalTaskReporter(): Orchestrator {
  return createLocalOrchestrator({
    start: () => Promise.reject(new Error("this process cannot start executions")),
  });
}
