import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AlarmRefs,
  alarmSpecs,
  dashboard,
  MetricFilters,
  metricAlarmArgs,
} from "../src/infra/alarms.ts";
import { ComponentNames, FunctionKeys } from "../src/infra/names.ts";
import { Settings } from "../src/infra/settings.ts";

const refs: AlarmRefs<string> = {
  app: "fg",
  stage: "prod",
  region: "us-east-1",
  functionNames: Object.fromEntries(
    FunctionKeys.map((k) => [k, `fg-prod-${ComponentNames[k]}`]),
  ) as AlarmRefs<string>["functionNames"],
  jobsDlqName: "fg-prod-JobsDlq",
  webhooksDlqName: "fg-prod-WebhooksDlq",
  stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:fg-prod-jobs",
  apiId: "abc123",
};
const specs = alarmSpecs(refs);
const byId = (id: string) => specs.find((s) => s.id === id)!;

describe("alarms", () => {
  it("covers the dead-letter queues, the state machine, every Lambda, failures and declines", () => {
    expect(byId("JobsDlqDepth").metric?.dimensions).toEqual({ QueueName: "fg-prod-JobsDlq" });
    expect(byId("WebhooksDlqDepth").metric?.dimensions).toEqual({ QueueName: "fg-prod-WebhooksDlq" });
    expect(byId("StateMachineFailures").math).toBeDefined();
    expect(byId("JobFailureRate").threshold).toBe(Settings.alarms.jobFailureRatePercent);
    expect(byId("AuthorizationDeclineSpike").threshold).toBe(Settings.alarms.declineSpike);
    for (const key of FunctionKeys) {
      expect(byId(`${ComponentNames[key]}Errors`).metric?.dimensions).toEqual({
        FunctionName: refs.functionNames[key],
      });
    }
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
  });

  it("alarms on the first dead-lettered message", () => {
    for (const id of ["JobsDlqDepth", "WebhooksDlqDepth"]) {
      expect(byId(id)).toMatchObject({ threshold: 1, comparison: "GreaterThanOrEqualToThreshold" });
    }
  });

  it("counts executions that skipped compensation, not jobs that failed cleanly", () => {
    const metrics = Object.values(byId("StateMachineFailures").math!.metrics).map((m) => m.metricName);
    expect(metrics.sort()).toEqual(["ExecutionThrottled", "ExecutionsAborted", "ExecutionsTimedOut"]);
    expect(metrics).not.toContain("ExecutionsFailed");
  });

  it("ignores the failure rate until enough jobs finished", () => {
    expect(byId("JobFailureRate").math!.expression).toBe(
      `IF(failed + succeeded >= ${Settings.alarms.minJobs}, 100 * failed / (failed + succeeded), 0)`,
    );
  });

  it("has a runbook section in docs/operations.md for every alarm", () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, "../../../docs/operations.md"), "utf8");
    const anchors = new Set(
      [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, "")
          .replace(/ /g, "-"),
      ),
    );
    for (const spec of specs) {
      const anchor = spec.runbook.split("#")[1]!;
      expect(anchors.has(anchor), `docs/operations.md lacks a "${anchor}" heading`).toBe(true);
    }
  });

  it("renders one metric as a plain alarm and metric math as queries with one result", () => {
    expect(metricAlarmArgs(byId("JobsDlqDepth"), "fg", "prod")).toMatchObject({
      name: "fg-prod-JobsDlqDepth",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      statistic: "Maximum",
      period: 300,
      treatMissingData: "notBreaching",
    });
    const math = metricAlarmArgs(byId("JobFailureRate"), "fg", "prod");
    expect(math.metricQueries?.filter((q) => q.returnData)).toHaveLength(1);
    expect(math).not.toHaveProperty("metricName");
    expect(math.alarmDescription).toContain("docs/operations.md#jobfailurerate");
  });

  it("counts declines from the API's log line", () => {
    expect(MetricFilters).toEqual([
      expect.objectContaining({
        source: "api",
        metricName: "AuthorizationDeclines",
        pattern: '{ $.message = "card.authorization.declined" }',
      }),
    ]);
    expect(byId("AuthorizationDeclineSpike").metric).toMatchObject({
      namespace: "fg/prod",
      metricName: "AuthorizationDeclines",
    });
  });

  it("puts every alarm and every function on the dashboard", () => {
    const arns = specs.map((s) => `arn:aws:cloudwatch:us-east-1:1:alarm:fg-prod-${s.id}`);
    const body = dashboard(refs, arns);
    const json = JSON.stringify(body);
    expect(body.widgets[0]).toMatchObject({ type: "alarm", properties: { alarms: arns } });
    for (const key of FunctionKeys) expect(json).toContain(refs.functionNames[key]);
    for (const w of body.widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });
});
