// Alarms and the dashboard, from the specs in packages/core/src/infra/alarms.ts. Alarm notifications go to
// an SNS topic; FG_ALERT_EMAIL subscribes an address to it at deploy time.
import {
  type AlarmRefs,
  alarmSpecs,
  dashboard,
  MetricFilters,
  metricAlarmArgs,
  metricNamespace,
} from "@fg/core/infra/alarms";
import { type FunctionKey, WorkflowFunctionKeys } from "@fg/core/infra/names";
import { api, apiHandler, webhooksConsumer } from "./api";
import { scope } from "./context";
import { emailInbound } from "./email";
import { jobsDlq, webhooksDlq } from "./queues";
import { jobsConsumer, stateMachine, steps } from "./workflow";

export const alerts = new sst.aws.SnsTopic("Alerts");

if (process.env.FG_ALERT_EMAIL) {
  new aws.sns.TopicSubscription("AlertsEmail", {
    topic: alerts.arn,
    protocol: "email",
    endpoint: process.env.FG_ALERT_EMAIL,
  });
}

const functions: Record<FunctionKey, sst.aws.Function> = {
  api: apiHandler,
  jobsConsumer,
  webhooksConsumer,
  emailInbound,
  ...Object.fromEntries(WorkflowFunctionKeys.map((key) => [key, steps[key]])),
} as Record<FunctionKey, sst.aws.Function>;

const refs: AlarmRefs<$util.Input<string>> = {
  app: $app.name,
  stage: $app.stage,
  region: scope.region,
  functionNames: Object.fromEntries(Object.entries(functions).map(([key, fn]) => [key, fn.name])) as Record<
    FunctionKey,
    $util.Output<string>
  >,
  jobsDlqName: jobsDlq.nodes.queue.name,
  webhooksDlqName: webhooksDlq.nodes.queue.name,
  stateMachineArn: stateMachine.arn,
  apiId: api.nodes.api.id,
};

for (const filter of MetricFilters) {
  new aws.cloudwatch.LogMetricFilter(filter.id, {
    logGroupName: functions[filter.source].nodes.logGroup.apply((group) => group!.name),
    pattern: filter.pattern,
    metricTransformation: {
      name: filter.metricName,
      namespace: metricNamespace($app.name, $app.stage),
      value: "1",
      unit: "Count",
    },
  });
}

export const alarms = alarmSpecs(refs).map(
  (spec) =>
    new aws.cloudwatch.MetricAlarm(spec.id, {
      ...metricAlarmArgs(spec, $app.name, $app.stage),
      alarmActions: [alerts.arn],
      okActions: [alerts.arn],
    }),
);

new aws.cloudwatch.Dashboard("Dashboard", {
  dashboardName: `${$app.name}-${$app.stage}`,
  dashboardBody: $jsonStringify(
    dashboard(
      refs,
      alarms.map((alarm) => alarm.arn),
    ),
  ),
});
