import { type ExecutionListItem, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { createStepFunctionsOrchestrator } from "../src/orchestrator/index.ts";

const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:fg-prod-jobs";

function withRunning(total: number, pageSize: number) {
  const client = new SFNClient({ region: "us-east-1" });
  const mock = mockClient(client);
  const all: ExecutionListItem[] = Array.from({ length: total }, (_, i) => ({
    executionArn: `${stateMachineArn}:job_${i}`,
    stateMachineArn,
    name: `job_${i}`,
    status: "RUNNING",
    startDate: new Date(),
  }));
  mock.on(ListExecutionsCommand).callsFake((input) => {
    const start = Number(input.nextToken ?? 0);
    const size = Math.min(input.maxResults ?? pageSize, pageSize);
    const end = start + size;
    return { executions: all.slice(start, end), ...(end < total ? { nextToken: String(end) } : {}) };
  });
  return { orchestrator: createStepFunctionsOrchestrator({ stateMachineArn, client }), mock };
}

describe("Step Functions: counting running executions", () => {
  it("counts RUNNING executions across pages", async () => {
    const { orchestrator, mock } = withRunning(7, 3);
    expect(await orchestrator.countRunning?.(100)).toBe(7);
    expect(mock.commandCalls(ListExecutionsCommand)).toHaveLength(3);
    expect(mock.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn,
      statusFilter: "RUNNING",
    });
  });

  it("stops reading once the cap is reached", async () => {
    const { orchestrator, mock } = withRunning(50, 10);
    expect(await orchestrator.countRunning?.(5)).toBe(5);
    expect(mock.commandCalls(ListExecutionsCommand)).toHaveLength(1);
    expect(mock.commandCalls(ListExecutionsCommand)[0]?.args[0].input.maxResults).toBe(5);
  });
});
