// One Lambda per step, the state machine built by the core ASL builder with real ARNs filled in, and the
// jobs consumer that starts one execution per job.
import { policyDocument, stateMachinePolicy } from "@fg/core/infra/iam";
import {
  BrowserWorker,
  ComponentNames,
  stateMachineLogGroup,
  stateMachineName,
  WorkflowFunctionKeys,
} from "@fg/core/infra/names";
import { Settings } from "@fg/core/infra/settings";
import { workflowDefinition } from "@fg/core/workflow/definition";
import { browserTask } from "./cluster";
import { jobsQueue } from "./queues";
import { functionArgs } from "./runtime";

type StepKey = (typeof WorkflowFunctionKeys)[number];

export const steps = Object.fromEntries(
  WorkflowFunctionKeys.map((key) => [key, new sst.aws.Function(ComponentNames[key], functionArgs(key))]),
) as Record<StepKey, sst.aws.Function>;

const stepArns = $resolve(
  Object.fromEntries(WorkflowFunctionKeys.map((key) => [key, steps[key].arn])) as Record<
    StepKey,
    $util.Output<string>
  >,
);

const role = new aws.iam.Role("JobsStateMachineRole", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
});

const rolePolicy = new aws.iam.RolePolicy("JobsStateMachinePolicy", {
  role: role.id,
  policy: $resolve([
    stepArns,
    browserTask.taskDefinition,
    browserTask.cluster,
    browserTask.nodes.taskRole.arn,
    browserTask.nodes.executionRole.arn,
  ]).apply(([arns, taskDefinitionArn, clusterArn, taskRoleArn, executionRoleArn]) =>
    JSON.stringify(
      policyDocument(
        stateMachinePolicy({
          functionArns: Object.values(arns),
          taskDefinitionArn,
          clusterArn,
          taskRoleArns: [taskRoleArn, executionRoleArn],
        }),
      ),
    ),
  ),
});

const logGroup = new aws.cloudwatch.LogGroup("JobsStateMachineLogs", {
  name: stateMachineLogGroup($app.name, $app.stage),
  retentionInDays: Settings.logRetentionDays,
});

const definition = $resolve([
  stepArns,
  browserTask.cluster,
  browserTask.taskDefinition,
  browserTask.subnets,
  browserTask.securityGroups,
  browserTask.assignPublicIp,
]).apply(([functionArns, cluster, taskDefinition, subnets, securityGroups, assignPublicIp]) =>
  workflowDefinition({
    functionArns,
    browserTask: {
      cluster,
      taskDefinition,
      containerName: BrowserWorker.containerName,
      subnets,
      securityGroups,
      assignPublicIp,
      heartbeatSeconds: Settings.browserTask.heartbeatSeconds,
      timeoutSeconds: Settings.browserTask.timeoutSeconds,
    },
    approvalTimeoutSeconds: Settings.approvalTimeoutSeconds,
  }),
);

export const stateMachine = new aws.sfn.StateMachine(
  "JobsStateMachine",
  {
    name: stateMachineName($app.name, $app.stage),
    type: "STANDARD",
    roleArn: role.arn,
    definition: $jsonStringify(definition),
    // Execution data stays out of the logs: step results are ids, but nothing secret should ever risk it.
    loggingConfiguration: {
      level: "ALL",
      includeExecutionData: false,
      logDestination: $interpolate`${logGroup.arn}:*`,
    },
  },
  { dependsOn: [rolePolicy] },
);

export const jobsConsumer = new sst.aws.Function(ComponentNames.jobsConsumer, functionArgs("jobsConsumer"));

jobsQueue.subscribe(jobsConsumer.arn, {
  batch: { size: Settings.jobsQueue.batchSize, partialResponses: true },
  transform: {
    // SQS event sources cannot go below 2 concurrent invocations.
    eventSourceMapping: {
      scalingConfig: { maximumConcurrency: Math.max(2, Settings.maxConcurrentBrowserJobs) },
    },
  },
});
