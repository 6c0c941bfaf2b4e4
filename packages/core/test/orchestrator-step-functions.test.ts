import { randomBytes } from "node:crypto";
import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { createStepFunctionsOrchestrator } from "../src/orchestrator/index.ts";
import { orchestratorContract } from "../src/orchestrator/orchestrator.contract.ts";

const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:fg-prod-jobs";

/** Step Functions' observable behaviour for these four calls, over aws-sdk-client-mock. */
function fakeStepFunctions() {
  const client = new SFNClient({ region: "us-east-1" });
  const mock = mockClient(client);
  const executions = new Set<string>();
  const tasks = new Map<string, { status: string; output?: unknown; error?: string }>();
  const gone = () => new TaskDoesNotExist({ message: "Task does not exist anymore", $metadata: {} });
  mock.on(StartExecutionCommand).callsFake((input) => {
    if (executions.has(input.name)) throw new ExecutionAlreadyExists({ message: "exists", $metadata: {} });
    executions.add(input.name);
    return {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:fg-prod-jobs:${input.name}`,
      startDate: new Date(),
    };
  });
  mock.on(SendTaskSuccessCommand).callsFake((input) => {
    if (tasks.get(input.taskToken)?.status !== "waiting") throw gone();
    tasks.set(input.taskToken, { status: "succeeded", output: JSON.parse(input.output) });
    return {};
  });
  mock.on(SendTaskFailureCommand).callsFake((input) => {
    if (tasks.get(input.taskToken)?.status !== "waiting") throw gone();
    tasks.set(input.taskToken, { status: "failed", error: input.error });
    return {};
  });
  mock.on(SendTaskHeartbeatCommand).callsFake((input) => {
    if (tasks.get(input.taskToken)?.status !== "waiting") throw gone();
    return {};
  });
  return { client, mock, tasks };
}

orchestratorContract("Step Functions (SDK mocked)", async () => {
  const { client, tasks } = fakeStepFunctions();
  return {
    orchestrator: createStepFunctionsOrchestrator({ stateMachineArn, client }),
    async waitingToken() {
      const token = randomBytes(16).toString("hex");
      tasks.set(token, { status: "waiting" });
      return token;
    },
    outcome: async (token) => tasks.get(token),
  };
});

describe("Step Functions orchestrator requests", () => {
  it("names the execution by the job id and passes only job and account ids", async () => {
    const { client, mock } = fakeStepFunctions();
    await createStepFunctionsOrchestrator({ stateMachineArn, client }).start({
      jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA",
      accountId: "acct_01JAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(mock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn,
      name: "job_01JAAAAAAAAAAAAAAAAAAAAAAA",
      input: JSON.stringify({
        jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA",
        accountId: "acct_01JAAAAAAAAAAAAAAAAAAAAAAA",
      }),
    });
  });

  it("clips error names and causes to Step Functions' limits", async () => {
    const { client, mock, tasks } = fakeStepFunctions();
    tasks.set("t", { status: "waiting" });
    await createStepFunctionsOrchestrator({ stateMachineArn, client }).sendTaskFailure(
      "t",
      "E".repeat(300),
      "c".repeat(40_000),
    );
    const input = mock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.error).toHaveLength(256);
    expect(input?.cause).toHaveLength(32_768);
  });
});
