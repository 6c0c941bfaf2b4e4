/**
 * Alarms, log metric filters and the dashboard as data. Resource names and ARNs are deploy-time outputs,
 * so every builder is generic in the value type: tests pass strings, stacks/alarms.ts passes outputs and
 * the values are only ever placed, never parsed.
 */
import { ComponentNames, type FunctionKey, FunctionKeys } from "./names.ts";
import { Settings } from "./settings.ts";

export interface AlarmRefs<T> {
  app: string;
  stage: string;
  region: string;
  functionNames: Record<FunctionKey, T>;
  jobsDlqName: T;
  webhooksDlqName: T;
  stateMachineArn: T;
  apiId: T;
}

interface MetricStat<T> {
  namespace: string;
  metricName: string;
  dimensions: Record<string, T>;
  stat: "Sum" | "Maximum" | "Average";
  period: number;
}

export interface AlarmSpec<T> {
  /** Logical name of the alarm resource; also the runbook anchor in docs/operations.md. */
  id: string;
  description: string;
  runbook: string;
  threshold: number;
  comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold";
  evaluationPeriods: number;
  /** One metric, or metric math over named metrics (the expression is the alarm's value). */
  metric?: MetricStat<T>;
  math?: { expression: string; label: string; metrics: Record<string, MetricStat<T>> };
}

export interface MetricFilterSpec {
  id: string;
  /** Whose log group the filter reads. */
  source: FunctionKey;
  /** CloudWatch Logs JSON filter over the redacting logger's lines (`message` is the log message). */
  pattern: string;
  metricName: string;
}

/** The custom metrics' namespace: one per stage, so stages never mix. */
export function metricNamespace(app: string, stage: string): string {
  return `${app}/${stage}`;
}

/**
 * Log lines other parts emit so these filters can count them. Contract: when a card authorization is
 * declined, the deciding code logs `log.info("card.authorization.declined", { reason, jobId })`.
 */
export const MetricFilters: MetricFilterSpec[] = [
  {
    id: "AuthorizationDeclines",
    source: "api",
    pattern: '{ $.message = "card.authorization.declined" }',
    metricName: "AuthorizationDeclines",
  },
];

const runbook = (id: string) => `docs/operations.md#${id.toLowerCase()}`;

function queueDepth<T>(id: string, queueName: T, what: string): AlarmSpec<T> {
  return {
    id,
    description: `${what} has messages that ran out of retries`,
    runbook: runbook(id),
    threshold: 1,
    comparison: "GreaterThanOrEqualToThreshold",
    evaluationPeriods: 1,
    metric: {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queueName },
      stat: "Maximum",
      period: 300,
    },
  };
}

export function alarmSpecs<T>(r: AlarmRefs<T>): AlarmSpec<T>[] {
  const machine = { StateMachineArn: r.stateMachineArn };
  const executions = (metricName: string, period: number): MetricStat<T> => ({
    namespace: "AWS/States",
    metricName,
    dimensions: machine,
    stat: "Sum",
    period,
  });
  const { jobFailureRatePercent, minJobs, declineSpike } = Settings.alarms;

  return [
    queueDepth("JobsDlqDepth", r.jobsDlqName, "The jobs dead-letter queue"),
    queueDepth("WebhooksDlqDepth", r.webhooksDlqName, "The outbound webhooks dead-letter queue"),
    {
      id: "StateMachineFailures",
      description:
        "Executions that ended outside the workflow's own Succeed/Fail states (timed out, throttled or stopped) and so skipped compensation",
      runbook: runbook("StateMachineFailures"),
      threshold: 1,
      comparison: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      math: {
        expression: "timedOut + aborted + throttled",
        label: "Executions that skipped compensation",
        metrics: {
          timedOut: executions("ExecutionsTimedOut", 300),
          aborted: executions("ExecutionsAborted", 300),
          throttled: executions("ExecutionThrottled", 300),
        },
      },
    },
    {
      id: "JobFailureRate",
      description: `More than ${jobFailureRatePercent}% of finished jobs failed in the last hour (at least ${minJobs} finished)`,
      runbook: runbook("JobFailureRate"),
      threshold: jobFailureRatePercent,
      comparison: "GreaterThanThreshold",
      evaluationPeriods: 1,
      math: {
        expression: `IF(failed + succeeded >= ${minJobs}, 100 * failed / (failed + succeeded), 0)`,
        label: "Job failure rate (%)",
        metrics: {
          failed: executions("ExecutionsFailed", 3600),
          succeeded: executions("ExecutionsSucceeded", 3600),
        },
      },
    },
    {
      id: "AuthorizationDeclineSpike",
      description: `${declineSpike} or more virtual-card authorizations declined in 5 minutes`,
      runbook: runbook("AuthorizationDeclineSpike"),
      threshold: declineSpike,
      comparison: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      metric: {
        namespace: metricNamespace(r.app, r.stage),
        metricName: "AuthorizationDeclines",
        dimensions: {},
        stat: "Sum",
        period: 300,
      },
    },
    {
      id: "ApiServerErrors",
      description: "The HTTP API answered 5xx five or more times in 5 minutes",
      runbook: runbook("ApiServerErrors"),
      threshold: 5,
      comparison: "GreaterThanOrEqualToThreshold",
      evaluationPeriods: 1,
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: { ApiId: r.apiId },
        stat: "Sum",
        period: 300,
      },
    },
    ...FunctionKeys.map(
      (key): AlarmSpec<T> => ({
        id: `${ComponentNames[key]}Errors`,
        description: `Lambda ${ComponentNames[key]} threw (uncaught errors or timeouts)`,
        runbook: runbook("LambdaErrors"),
        threshold: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 1,
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: r.functionNames[key] },
          stat: "Sum",
          period: 300,
        },
      }),
    ),
  ];
}

export interface MetricAlarmArgs<T> {
  name: string;
  alarmDescription: string;
  comparisonOperator: AlarmSpec<T>["comparison"];
  threshold: number;
  evaluationPeriods: number;
  treatMissingData: "notBreaching";
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, T>;
  statistic?: MetricStat<T>["stat"];
  period?: number;
  metricQueries?: {
    id: string;
    expression?: string;
    label?: string;
    returnData: boolean;
    metric?: {
      namespace: string;
      metricName: string;
      dimensions: Record<string, T>;
      stat: string;
      period: number;
    };
  }[];
}

/** aws.cloudwatch.MetricAlarm arguments for one spec (alarm actions are added by the stack). */
export function metricAlarmArgs<T>(spec: AlarmSpec<T>, app: string, stage: string): MetricAlarmArgs<T> {
  const common = {
    name: `${app}-${stage}-${spec.id}`,
    alarmDescription: `${spec.description}. Runbook: ${spec.runbook}`,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: "notBreaching" as const,
  };
  if (spec.metric) {
    return {
      ...common,
      namespace: spec.metric.namespace,
      metricName: spec.metric.metricName,
      dimensions: spec.metric.dimensions,
      statistic: spec.metric.stat,
      period: spec.metric.period,
    };
  }
  const math = spec.math!;
  return {
    ...common,
    metricQueries: [
      { id: "value", expression: math.expression, label: math.label, returnData: true },
      ...Object.entries(math.metrics).map(([id, m]) => ({
        id,
        returnData: false,
        metric: {
          namespace: m.namespace,
          metricName: m.metricName,
          dimensions: m.dimensions,
          stat: m.stat,
          period: m.period,
        },
      })),
    ],
  };
}

type MetricRow<T> = (string | T | { stat?: string; label?: string; id?: string; expression?: string })[];

/** The CloudWatch dashboard body (pass through $jsonStringify: values may be outputs). */
export function dashboard<T>(r: AlarmRefs<T>, alarmArns: T[]) {
  const machine = (metricName: string, label: string): MetricRow<T> => [
    "AWS/States",
    metricName,
    "StateMachineArn",
    r.stateMachineArn,
    { stat: "Sum", label },
  ];
  const widget = (title: string, metrics: MetricRow<T>[], x: number, y: number, extra: object = {}) => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region: r.region,
      view: "timeSeries",
      stacked: false,
      period: 300,
      metrics,
      ...extra,
    },
  });

  return {
    widgets: [
      { type: "alarm", x: 0, y: 0, width: 24, height: 4, properties: { title: "Alarms", alarms: alarmArns } },
      widget(
        "Jobs (executions)",
        [
          machine("ExecutionsStarted", "started"),
          machine("ExecutionsSucceeded", "succeeded or canceled"),
          machine("ExecutionsFailed", "failed"),
          machine("ExecutionsTimedOut", "timed out"),
          machine("ExecutionsAborted", "stopped"),
        ],
        0,
        4,
      ),
      widget(
        "Dead-letter queues (visible messages)",
        [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", r.jobsDlqName, { stat: "Maximum" }],
          [
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            r.webhooksDlqName,
            { stat: "Maximum" },
          ],
        ],
        12,
        4,
      ),
      widget(
        "Lambda errors",
        FunctionKeys.map((key) => [
          "AWS/Lambda",
          "Errors",
          "FunctionName",
          r.functionNames[key],
          { stat: "Sum", label: ComponentNames[key] },
        ]),
        0,
        10,
      ),
      widget(
        "HTTP API",
        [
          ["AWS/ApiGateway", "Count", "ApiId", r.apiId, { stat: "Sum", label: "requests" }],
          ["AWS/ApiGateway", "4xx", "ApiId", r.apiId, { stat: "Sum", label: "4xx" }],
          ["AWS/ApiGateway", "5xx", "ApiId", r.apiId, { stat: "Sum", label: "5xx" }],
        ],
        12,
        10,
      ),
      widget(
        "Card authorizations declined",
        [[metricNamespace(r.app, r.stage), "AuthorizationDeclines", { stat: "Sum", label: "declines" }]],
        0,
        16,
      ),
      widget(
        "HTTP API latency (ms)",
        [
          ["AWS/ApiGateway", "Latency", "ApiId", r.apiId, { stat: "p50", label: "p50" }],
          ["AWS/ApiGateway", "Latency", "ApiId", r.apiId, { stat: "p99", label: "p99" }],
        ],
        12,
        16,
      ),
    ],
  };
}
