import {
  ExecutionAlreadyExists,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { type Orchestrator, TaskGoneError } from "./port.ts";

// Step Functions caps error at 256 and cause at 32768 characters.
const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function createStepFunctionsOrchestrator(options: {
  stateMachineArn: string;
  client?: SFNClient;
}): Orchestrator {
  const client = options.client ?? new SFNClient({});
  const gone = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (
        error instanceof TaskDoesNotExist ||
        error instanceof TaskTimedOut ||
        error instanceof InvalidToken
      ) {
        throw new TaskGoneError(error.message);
      }
      throw error;
    }
  };
  const executionArn = (jobId: string) =>
    `${options.stateMachineArn.replace(":stateMachine:", ":execution:")}:${jobId}`;
  return {
    async start({ jobId, accountId }) {
      try {
        const result = await client.send(
          new StartExecutionCommand({
            stateMachineArn: options.stateMachineArn,
            name: jobId,
            input: JSON.stringify({ jobId, accountId }),
          }),
        );
        return { executionId: result.executionArn ?? executionArn(jobId), alreadyStarted: false };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists)
          return { executionId: executionArn(jobId), alreadyStarted: true };
        throw error;
      }
    },
    async sendTaskSuccess(token, output) {
      await gone(() =>
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? {}) })),
      );
    },
    async sendTaskFailure(token, error, cause) {
      await gone(() =>
        client.send(
          new SendTaskFailureCommand({
            taskToken: token,
            error: clip(error, 256),
            cause: clip(cause, 32_768),
          }),
        ),
      );
    },
    async sendTaskHeartbeat(token) {
      await gone(() => client.send(new SendTaskHeartbeatCommand({ taskToken: token })));
    },
    async countRunning(upTo) {
      let count = 0;
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListExecutionsCommand({
            stateMachineArn: options.stateMachineArn,
            statusFilter: "RUNNING",
            maxResults: Math.min(Math.max(upTo - count, 1), 1000),
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        count += page.executions?.length ?? 0;
        nextToken = page.nextToken;
      } while (nextToken && count < upTo);
      return count;
    },
  };
}
