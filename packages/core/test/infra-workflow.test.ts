import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { BrowserWorker, WorkflowFunctionKeys } from "../src/infra/names.ts";
import { Settings } from "../src/infra/settings.ts";
import { LambdaStates, stateFunction, workflowDefinition } from "../src/workflow/definition.ts";

// What stacks/workflow.ts builds, with plain strings for the deploy-time ARNs.
const functionArns = Object.fromEntries(
  WorkflowFunctionKeys.map((key) => [key, `arn:aws:lambda:us-east-1:1:function:fg-prod-${key}`]),
) as Record<(typeof WorkflowFunctionKeys)[number], string>;

const definition = workflowDefinition({
  functionArns,
  browserTask: {
    cluster: "arn:aws:ecs:us-east-1:1:cluster/fg-prod-Cluster",
    taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/fg-prod-BrowserWorker:3",
    containerName: BrowserWorker.containerName,
    subnets: ["subnet-a", "subnet-b"],
    securityGroups: ["sg-1"],
    assignPublicIp: true,
    heartbeatSeconds: Settings.browserTask.heartbeatSeconds,
    timeoutSeconds: Settings.browserTask.timeoutSeconds,
  },
  approvalTimeoutSeconds: Settings.approvalTimeoutSeconds,
});

describe("the deployed state machine", () => {
  it("is valid ASL with every Lambda state pointing at a deployed step", () => {
    expect(aslValidator(definition).isValid).toBe(true);
    const states = definition.States as Record<
      string,
      { Resource?: string; Parameters?: { FunctionName?: string } }
    >;
    for (const state of LambdaStates) {
      const target = states[state]!.Parameters?.FunctionName ?? states[state]!.Resource;
      expect(target, state).toBe(functionArns[stateFunction[state]]);
    }
  });

  it("runs the browser worker container in public subnets with a heartbeat", () => {
    const task = definition.States.RunBrowserTask;
    expect(task.Parameters.Overrides.ContainerOverrides[0]?.Name).toBe(BrowserWorker.containerName);
    expect(task.Parameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe("ENABLED");
    expect(task.HeartbeatSeconds).toBe(Settings.browserTask.heartbeatSeconds);
  });
});
