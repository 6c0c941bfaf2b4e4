import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import {
  LambdaStates,
  stateFunction,
  type WorkflowParams,
  workflowDefinition,
} from "../src/workflow/definition.ts";

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:fg-${name}`;

const params: WorkflowParams = {
  functionArns: Object.fromEntries(
    Object.values(stateFunction).map((f) => [f, arn(f)]),
  ) as WorkflowParams["functionArns"],
  browserTask: {
    cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/fg",
    taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/fg-browser:1",
    containerName: "browser-worker",
    subnets: ["subnet-1"],
    securityGroups: ["sg-1"],
    assignPublicIp: false,
    heartbeatSeconds: 120,
    timeoutSeconds: 1800,
  },
  approvalTimeoutSeconds: 86_400,
};

type State = {
  Type: string;
  Next?: string;
  Default?: string;
  Catch?: { Next: string }[];
  Choices?: { Next: string }[];
};

describe("workflow definition", () => {
  const definition = workflowDefinition(params);
  const states = definition.States as unknown as Record<string, State>;

  it("is valid Amazon States Language", () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText()).toBe("");
    expect(isValid).toBe(true);
  });

  it("runs SPEC §5's steps in order on the happy path", () => {
    const path: string[] = [];
    let name: string | undefined = definition.StartAt;
    while (name) {
      path.push(name);
      const state: State = states[name]!;
      name = state.Next ?? state.Default;
    }
    expect(path).toEqual([
      "Plan",
      "CheckPolicy",
      "NeedsApproval",
      "IsFree",
      "Charge",
      "IssueCard",
      "RunBrowserTask",
      "Settle",
      "Notify",
      "Done",
    ]);
  });

  it("sends every failure of a money or browser step to compensation", () => {
    for (const name of [
      "Plan",
      "CheckPolicy",
      "WaitForApproval",
      "Charge",
      "IssueCard",
      "RunBrowserTask",
      "Settle",
    ]) {
      const targets = (states[name]!.Catch ?? []).map((c) => c.Next);
      expect(targets, name).toContain("Compensate");
      expect(targets, name).toContain("CompensateCanceled");
    }
  });

  it("hands the browser worker its job and task token through container overrides", () => {
    const browser = definition.States.RunBrowserTask;
    expect(browser.Resource).toBe("arn:aws:states:::ecs:runTask.waitForTaskToken");
    expect(browser.HeartbeatSeconds).toBe(120);
    expect(browser.Parameters.Overrides.ContainerOverrides[0]?.Environment).toContainEqual({
      Name: "TASK_TOKEN",
      "Value.$": "$$.Task.Token",
    });
  });

  it("cancels, with nothing charged, when approval times out", () => {
    const wait = definition.States.WaitForApproval;
    expect(wait.TimeoutSeconds).toBe(86_400);
    expect(wait.Catch[0]).toEqual({
      ErrorEquals: ["States.Timeout"],
      ResultPath: "$.error",
      Next: "CompensateCanceled",
    });
  });

  it("uses the ARN passed in for every Lambda state", () => {
    for (const state of LambdaStates.filter((s) => s !== "WaitForApproval")) {
      expect((definition.States[state] as { Resource: string }).Resource).toBe(arn(stateFunction[state]));
    }
  });
});
