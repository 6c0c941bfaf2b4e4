/**
 * The provisioning state machine (SPEC §5) as Amazon States Language. One source for both worlds:
 * stacks/workflow.ts fills in real ARNs; the local runtime runs the same JSON with aws-local-stepfunctions
 * and maps each Task state to the same handler functions.
 */

/** Lambda-backed states, by state name. */
export const LambdaStates = [
  "Plan",
  "CheckPolicy",
  "WaitForApproval",
  "Charge",
  "IssueCard",
  "Settle",
  "Notify",
  "Compensate",
  "CompensateCanceled",
  "MarkFailed",
] as const;
export type LambdaState = (typeof LambdaStates)[number];

/** The function each Lambda state invokes; both compensation states share one function. */
export const stateFunction = {
  Plan: "plan",
  CheckPolicy: "checkPolicy",
  WaitForApproval: "requestApproval",
  Charge: "charge",
  IssueCard: "issueCard",
  Settle: "settle",
  Notify: "notify",
  Compensate: "compensate",
  CompensateCanceled: "compensate",
  MarkFailed: "markFailed",
} as const satisfies Record<LambdaState, string>;
export type WorkflowFunction = (typeof stateFunction)[LambdaState];

/** Errors our steps throw on purpose, matched by name in Retry and Catch. */
export const WorkflowErrors = {
  canceled: "Job.Canceled",
  transient: "Job.Transient",
  workerCrashed: "Worker.Crashed",
} as const;

export interface WorkflowParams {
  functionArns: Record<WorkflowFunction, string>;
  browserTask: {
    cluster: string;
    taskDefinition: string;
    containerName: string;
    subnets: string[];
    securityGroups: string[];
    assignPublicIp: boolean;
    heartbeatSeconds: number;
    timeoutSeconds: number;
  };
  approvalTimeoutSeconds: number;
}

const transientLambdaErrors = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  WorkflowErrors.transient,
];

const retryTransient = [
  { ErrorEquals: transientLambdaErrors, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
];

const catchAll = [
  { ErrorEquals: [WorkflowErrors.canceled], ResultPath: "$.error", Next: "CompensateCanceled" },
  { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Compensate" },
];

const jobRef = { "jobId.$": "$.jobId", "accountId.$": "$.accountId" };

function lambda(
  params: WorkflowParams,
  state: LambdaState,
  next: string | null,
  extra: Record<string, unknown> = {},
) {
  return {
    Type: "Task",
    Resource: params.functionArns[stateFunction[state]],
    Parameters: { ...jobRef, ...extra },
    ResultPath: `$.steps.${state}`,
    Retry: retryTransient,
    ...(next ? { Next: next } : { End: true }),
  };
}

export function workflowDefinition(params: WorkflowParams) {
  const { browserTask } = params;
  return {
    Comment: "fg provisioning job (SPEC §5): one execution per job, named by the job id",
    StartAt: "Plan",
    States: {
      Plan: { ...lambda(params, "Plan", "CheckPolicy"), Catch: catchAll },
      CheckPolicy: { ...lambda(params, "CheckPolicy", "NeedsApproval"), Catch: catchAll },
      NeedsApproval: {
        Type: "Choice",
        Choices: [
          { Variable: "$.steps.CheckPolicy.needsApproval", BooleanEquals: true, Next: "WaitForApproval" },
        ],
        Default: "IsFree",
      },
      WaitForApproval: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: params.functionArns.requestApproval,
          Payload: { ...jobRef, "taskToken.$": "$$.Task.Token" },
        },
        TimeoutSeconds: params.approvalTimeoutSeconds,
        ResultPath: "$.steps.WaitForApproval",
        Retry: retryTransient,
        Catch: [
          { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "CompensateCanceled" },
          ...catchAll,
        ],
        Next: "IsFree",
      },
      IsFree: {
        Type: "Choice",
        Choices: [{ Variable: "$.steps.Plan.free", BooleanEquals: true, Next: "RunBrowserTask" }],
        Default: "Charge",
      },
      Charge: { ...lambda(params, "Charge", "IssueCard"), Catch: catchAll },
      IssueCard: { ...lambda(params, "IssueCard", "RunBrowserTask"), Catch: catchAll },
      RunBrowserTask: {
        Type: "Task",
        Resource: "arn:aws:states:::ecs:runTask.waitForTaskToken",
        Parameters: {
          Cluster: browserTask.cluster,
          TaskDefinition: browserTask.taskDefinition,
          LaunchType: "FARGATE",
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: browserTask.subnets,
              SecurityGroups: browserTask.securityGroups,
              AssignPublicIp: browserTask.assignPublicIp ? "ENABLED" : "DISABLED",
            },
          },
          Overrides: {
            ContainerOverrides: [
              {
                Name: browserTask.containerName,
                Environment: [
                  { Name: "JOB_ID", "Value.$": "$.jobId" },
                  { Name: "ACCOUNT_ID", "Value.$": "$.accountId" },
                  { Name: "TASK_TOKEN", "Value.$": "$$.Task.Token" },
                ],
              },
            ],
          },
        },
        HeartbeatSeconds: browserTask.heartbeatSeconds,
        TimeoutSeconds: browserTask.timeoutSeconds,
        ResultPath: "$.steps.RunBrowserTask",
        // A crashed or silent worker gets one more go; the agent resumes from its last completed primitive.
        Retry: [
          {
            ErrorEquals: [WorkflowErrors.workerCrashed, "States.HeartbeatTimeout"],
            IntervalSeconds: 5,
            MaxAttempts: 1,
          },
        ],
        Catch: catchAll,
        Next: "Settle",
      },
      Settle: {
        ...lambda(params, "Settle", "Notify", { "browser.$": "$.steps.RunBrowserTask" }),
        Catch: catchAll,
      },
      Notify: {
        ...lambda(params, "Notify", "Done"),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Done" }],
      },
      Done: { Type: "Succeed" },
      Compensate: {
        ...lambda(params, "Compensate", "MarkFailed", { "error.$": "$.error", outcome: "failed" }),
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
      },
      MarkFailed: {
        ...lambda(params, "MarkFailed", "Failed", { "error.$": "$.error" }),
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
      },
      Failed: { Type: "Fail", Error: "Job.Failed", Cause: "The job failed; its money was compensated" },
      CompensateCanceled: {
        ...lambda(params, "CompensateCanceled", "Canceled", { "error.$": "$.error", outcome: "canceled" }),
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }],
      },
      // A cancel is the user's decision, not an operational failure: it must not trip failure alarms.
      Canceled: { Type: "Succeed" },
    },
  };
}

export type WorkflowDefinition = ReturnType<typeof workflowDefinition>;
