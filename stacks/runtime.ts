// What every function and the browser task start with: environment, IAM permissions and links, all
// computed by the tested modules in packages/core/src/infra from this deployment's resources.
import { type EnvRefs, environment } from "@fg/core/infra/env";
import { type AppRefs, linksFor, policyFor } from "@fg/core/infra/iam";
import { Arn, type FunctionKey, handler, type Principal, stateMachineName } from "@fg/core/infra/names";
import { Settings } from "@fg/core/infra/settings";
import { artifacts } from "./artifacts";
import { inboxDomain, scope } from "./context";
import { jobsQueue, webhooksQueue } from "./queues";
import { stripe, stripeSecret } from "./secrets";
import { table } from "./table";
import { vaultKey } from "./vault";

/** Known before the state machine exists (its name is fixed), which keeps the IAM graph acyclic. */
export const stateMachineArn = scope.apply((s) =>
  Arn.stateMachine(s, stateMachineName($app.name, $app.stage)),
);

const appRefs = $resolve([
  scope,
  table.arn,
  jobsQueue.arn,
  webhooksQueue.arn,
  artifacts.arn,
  vaultKey.arn,
  stripeSecret.arn,
  stateMachineArn,
]).apply(
  ([
    s,
    tableArn,
    jobsQueueArn,
    webhooksQueueArn,
    artifactsBucketArn,
    kmsKeyArn,
    stripeSecretArn,
    machine,
  ]): AppRefs => ({
    scope: s,
    stage: $app.stage,
    tableArn,
    jobsQueueArn,
    webhooksQueueArn,
    artifactsBucketArn,
    kmsKeyArn,
    stripeSecretArn,
    stateMachineArn: machine,
  }),
);

const envRefs: EnvRefs<$util.Input<string>> = {
  stage: $app.stage,
  table: table.name,
  kmsKeyId: vaultKey.arn,
  jobsQueueUrl: jobsQueue.url,
  webhooksQueueUrl: webhooksQueue.url,
  stateMachineArn,
  artifactsBucket: artifacts.name,
  inboxDomain,
  stripeSecretArn: stripeSecret.arn,
};

export function access(principal: Principal) {
  const link = linksFor(principal, { stripe });
  return {
    environment: environment(principal, envRefs, { stripe: link.length > 0 }),
    permissions: appRefs.apply((refs) => policyFor(principal, refs)),
    link,
  };
}

export function functionArgs(key: FunctionKey) {
  return {
    handler: handler(key),
    runtime: "nodejs20.x",
    architecture: "arm64",
    timeout: `${Settings.functionTimeoutSeconds[key]} seconds`,
    memory: `${key === "api" ? Settings.api.memoryMb : Settings.functionMemoryMb} MB`,
    logging: { retention: Settings.logRetention },
    ...access(key),
  } satisfies sst.aws.FunctionArgs;
}
