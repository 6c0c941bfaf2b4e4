/**
 * Names, paths and ARN shapes shared by sst.config.ts, stacks/ and the runtime. Pure data: nothing here
 * talks to AWS, so it is tested like any other module and stacks/ stays declarative.
 */
import type { WorkflowFunction } from "../workflow/definition.ts";

export const App = { name: "fg", home: "aws" } as const;

/** Stages whose data must survive `sst remove` and whose resources are protected from deletion. */
export const ProtectedStages = ["production"] as const;

export function stagePolicy(stage: string): { removal: "retain" | "remove"; protect: boolean } {
  const isProtected = (ProtectedStages as readonly string[]).includes(stage);
  return { removal: isProtected ? "retain" : "remove", protect: isProtected };
}

/** Every Lambda and the one container task: the principals that get an IAM policy from iam.ts. */
export const FunctionKeys = [
  "api",
  "jobsConsumer",
  "webhooksConsumer",
  "emailInbound",
  "plan",
  "checkPolicy",
  "requestApproval",
  "charge",
  "issueCard",
  "settle",
  "notify",
  "compensate",
  "markFailed",
] as const;
export type FunctionKey = (typeof FunctionKeys)[number];

/** Everything that runs our code in AWS: the Lambdas and the browser task. */
export type Principal = FunctionKey | "browserTask";

/** Workflow steps use the state machine's own function names, so the ASL builder and the stacks agree. */
export const WorkflowFunctionKeys = [
  "plan",
  "checkPolicy",
  "requestApproval",
  "charge",
  "issueCard",
  "settle",
  "notify",
  "compensate",
  "markFailed",
] as const satisfies readonly (WorkflowFunction & FunctionKey)[];

/** Lambda entrypoints relative to the repo root, each exporting `handler` (SST's `file.export` form). */
export const HandlerFiles: Record<FunctionKey, string> = {
  api: "functions/src/api/handler.ts",
  jobsConsumer: "functions/src/queue/jobs.ts",
  webhooksConsumer: "functions/src/queue/webhooks.ts",
  emailInbound: "functions/src/email/inbound.ts",
  plan: "functions/src/workflow/plan.ts",
  checkPolicy: "functions/src/workflow/check-policy.ts",
  requestApproval: "functions/src/workflow/request-approval.ts",
  charge: "functions/src/workflow/charge.ts",
  issueCard: "functions/src/workflow/issue-card.ts",
  settle: "functions/src/workflow/settle.ts",
  notify: "functions/src/workflow/notify.ts",
  compensate: "functions/src/workflow/compensate.ts",
  markFailed: "functions/src/workflow/mark-failed.ts",
};

export const HandlerExport = "handler";

/** `functions/src/api/handler.ts` → `functions/src/api/handler.handler`, the string SST's `handler` takes. */
export function handler(key: FunctionKey): string {
  return `${HandlerFiles[key].replace(/\.ts$/, "")}.${HandlerExport}`;
}

/** SST component names (logical ids). Changing one replaces the resource, so they are fixed here. */
export const ComponentNames: Record<FunctionKey, string> = {
  api: "ApiHandler",
  jobsConsumer: "JobsConsumer",
  webhooksConsumer: "WebhooksConsumer",
  emailInbound: "EmailInbound",
  plan: "StepPlan",
  checkPolicy: "StepCheckPolicy",
  requestApproval: "StepRequestApproval",
  charge: "StepCharge",
  issueCard: "StepIssueCard",
  settle: "StepSettle",
  notify: "StepNotify",
  compensate: "StepCompensate",
  markFailed: "StepMarkFailed",
};

/**
 * The browser worker image. The build context is the repo root because the worker imports the workspace
 * packages (@fg/core, @fg/agent); the Dockerfile lives with the worker.
 */
export const BrowserWorker = {
  component: "BrowserWorker",
  containerName: "browser-worker",
  context: ".",
  dockerfile: "containers/browser-worker/Dockerfile",
  entrypoint: "containers/browser-worker/src/main.ts",
} as const;

/** Object key prefixes in the artifacts bucket; lifecycle rules and IAM resources are cut along them. */
export const ArtifactPrefix = {
  inbound: "inbound/",
  screenshots: "screenshots/",
  traces: "traces/",
} as const;
export type ArtifactKind = keyof typeof ArtifactPrefix;

/** Credential vault secrets are `fg/<stage>/<accountId>/<secretId>` (see vault/secrets-manager.ts). */
export function vaultPrefix(stage: string): string {
  return `fg/${stage}/`;
}

/** Platform secrets live outside the vault prefix, so no vault grant can ever read them. */
export function stripeSecretName(stage: string): string {
  return `fg-platform/${stage}/stripe`;
}

export function stateMachineName(app: string, stage: string): string {
  return `${app}-${stage}-jobs`;
}

export function receiptRuleSetName(app: string, stage: string): string {
  return `${app}-${stage}-inbox`;
}

export function receiptRuleName(app: string, stage: string): string {
  return `${app}-${stage}-inbound`;
}

export function vaultKeyAlias(app: string, stage: string): string {
  return `alias/${app}-${stage}-vault`;
}

export function stateMachineLogGroup(app: string, stage: string): string {
  return `/aws/vendedlogs/states/${app}-${stage}-jobs`;
}

/** Where the account, region and partition of a deployment are known (resolved at deploy time). */
export interface AwsScope {
  partition: string;
  region: string;
  accountId: string;
}

/**
 * ARNs that can be written before the resource exists. The state machine's ARN is computed from its
 * fixed name so the browser task's role can name it without a dependency cycle
 * (role → task definition → state machine definition → state machine).
 */
export const Arn = {
  stateMachine: (s: AwsScope, name: string) =>
    `arn:${s.partition}:states:${s.region}:${s.accountId}:stateMachine:${name}`,
  secretsUnder: (s: AwsScope, prefix: string) =>
    `arn:${s.partition}:secretsmanager:${s.region}:${s.accountId}:secret:${prefix}*`,
  receiptRule: (s: AwsScope, ruleSet: string, rule: string) =>
    `arn:${s.partition}:ses:${s.region}:${s.accountId}:receipt-rule-set/${ruleSet}:receipt-rule/${rule}`,
  /** Every revision of a task definition: RunTask is authorised on `family:*`. */
  taskDefinitionFamily: (taskDefinitionArn: string) => taskDefinitionArn.replace(/:\d+$/, ":*"),
  inferenceProfile: (s: AwsScope, profileId: string) =>
    `arn:${s.partition}:bedrock:${s.region}:${s.accountId}:inference-profile/${profileId}`,
  /** Cross-region inference routes to the model in any region of its geography, so the region is `*`. */
  foundationModel: (s: AwsScope, modelId: string) =>
    `arn:${s.partition}:bedrock:*::foundation-model/${modelId}`,
};

/** A Bedrock inference profile id (`us.anthropic…`) names its model after the geography prefix. */
export function bedrockModelOf(modelOrProfileId: string): { profile: string | null; model: string } {
  const match = /^(us|eu|apac|us-gov|global)\.(.+)$/.exec(modelOrProfileId);
  return match ? { profile: modelOrProfileId, model: match[2]! } : { profile: null, model: modelOrProfileId };
}

/** The inbox domain every job address lives under; required to deploy, because SES receives for it. */
export function inboxDomainFrom(env: Record<string, string | undefined>): string {
  const domain = env.FG_INBOX_DOMAIN?.trim().toLowerCase();
  if (!domain) {
    throw new Error("Set FG_INBOX_DOMAIN to the domain SES receives job mail for (e.g. inbox.example.com)");
  }
  if (!/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) {
    throw new Error(`FG_INBOX_DOMAIN is not a domain name: ${domain}`);
  }
  return domain;
}
