import { describe, expect, it } from "vitest";
import {
  Arn,
  bedrockModelOf,
  ComponentNames,
  FunctionKeys,
  HandlerFiles,
  handler,
  inboxDomainFrom,
  stagePolicy,
  WorkflowFunctionKeys,
} from "../src/infra/names.ts";
import { stateFunction } from "../src/workflow/definition.ts";

const scope = { partition: "aws", region: "us-east-1", accountId: "123456789012" };

describe("deployment names", () => {
  it("retains and protects production only", () => {
    expect(stagePolicy("production")).toEqual({ removal: "retain", protect: true });
    expect(stagePolicy("staging")).toEqual({ removal: "remove", protect: false });
  });

  it("turns a handler file into SST's file.export form", () => {
    expect(handler("api")).toBe("functions/src/api/handler.handler");
    expect(handler("checkPolicy")).toBe("functions/src/workflow/check-policy.handler");
    for (const key of FunctionKeys) expect(HandlerFiles[key]).toMatch(/^functions\/src\/.+\.ts$/);
  });

  it("deploys one Lambda for every function the state machine invokes", () => {
    expect([...WorkflowFunctionKeys].sort()).toEqual([...new Set(Object.values(stateFunction))].sort());
  });

  it("gives every function a distinct component name", () => {
    const names = FunctionKeys.map((k) => ComponentNames[k]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("computes ARNs that exist only after deploy", () => {
    expect(Arn.stateMachine(scope, "fg-prod-jobs")).toBe(
      "arn:aws:states:us-east-1:123456789012:stateMachine:fg-prod-jobs",
    );
    expect(Arn.secretsUnder(scope, "fg/prod/")).toBe(
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:fg/prod/*",
    );
    expect(Arn.taskDefinitionFamily("arn:aws:ecs:us-east-1:1:task-definition/fg-BrowserWorker:12")).toBe(
      "arn:aws:ecs:us-east-1:1:task-definition/fg-BrowserWorker:*",
    );
    expect(Arn.receiptRule(scope, "set", "rule")).toBe(
      "arn:aws:ses:us-east-1:123456789012:receipt-rule-set/set:receipt-rule/rule",
    );
  });

  it("tells an inference profile from a model id", () => {
    expect(bedrockModelOf("us.anthropic.claude-sonnet-4-20250514-v1:0")).toEqual({
      profile: "us.anthropic.claude-sonnet-4-20250514-v1:0",
      model: "anthropic.claude-sonnet-4-20250514-v1:0",
    });
    expect(bedrockModelOf("anthropic.claude-3-haiku-20240307-v1:0").profile).toBeNull();
  });

  it("requires a real inbox domain to deploy", () => {
    expect(inboxDomainFrom({ FG_INBOX_DOMAIN: " Inbox.Example.com " })).toBe("inbox.example.com");
    expect(() => inboxDomainFrom({})).toThrow(/Set FG_INBOX_DOMAIN/);
    expect(() => inboxDomainFrom({ FG_INBOX_DOMAIN: "not a domain" })).toThrow(/not a domain/);
    expect(() => inboxDomainFrom({ FG_INBOX_DOMAIN: "https://inbox.example.com" })).toThrow(/not a domain/);
  });
});
