/**
 * Least-privilege IAM as data. Each principal holds a short list of grants; each grant is one or two
 * statements on exact ARNs. stacks/ passes the result to SST's `permissions` (Lambdas, the task role) and
 * renders the state machine's role with `policyDocument`. Tests read this module, not the stacks.
 */
import { Arn, ArtifactPrefix, type AwsScope, bedrockModelOf, type Principal, vaultPrefix } from "./names.ts";
import { Settings } from "./settings.ts";
import { indexNames } from "./table.ts";

export interface Condition {
  test: string;
  variable: string;
  values: string[];
}

/** SST's permission shape (FunctionArgs["permissions"] items and sst.aws.permission input). */
export interface Statement {
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: Condition[];
}

export const GrantNames = [
  "table",
  "jobs.send",
  "jobs.consume",
  "webhooks.send",
  "webhooks.consume",
  "vault.read",
  "vault.write",
  "vault.delete",
  "vault.list",
  "stripe",
  "states.start",
  "states.answer",
  "states.heartbeat",
  "artifacts.write",
  "artifacts.inbound",
  "bedrock",
] as const;
export type Grant = (typeof GrantNames)[number];

/** Who may do what. Each line is a reviewable claim; iam tests pin the sensitive ones. */
export const Grants: Record<Principal, readonly Grant[]> = {
  api: [
    "table",
    "jobs.send",
    "webhooks.send",
    "vault.read",
    "vault.delete",
    "vault.list",
    "stripe",
    "states.answer",
  ],
  jobsConsumer: ["table", "jobs.consume", "states.start"],
  webhooksConsumer: ["table", "webhooks.consume", "webhooks.send"],
  emailInbound: ["table", "vault.write", "artifacts.inbound"],
  plan: ["table"],
  checkPolicy: ["table"],
  requestApproval: ["table", "webhooks.send", "states.answer"],
  charge: ["table", "stripe"],
  issueCard: ["table", "stripe", "vault.write"],
  settle: ["table", "stripe", "vault.delete", "webhooks.send"],
  notify: ["table", "webhooks.send"],
  compensate: ["table", "stripe", "vault.delete", "webhooks.send"],
  markFailed: ["table", "webhooks.send"],
  browserTask: [
    "table",
    "vault.read",
    "vault.write",
    "webhooks.send",
    "states.answer",
    "states.heartbeat",
    "artifacts.write",
    "bedrock",
  ],
};

export interface AppRefs {
  scope: AwsScope;
  stage: string;
  tableArn: string;
  jobsQueueArn: string;
  webhooksQueueArn: string;
  artifactsBucketArn: string;
  kmsKeyArn: string;
  stripeSecretArn: string;
  stateMachineArn: string;
}

/** Actions AWS authorises only on `*`; any other wildcard resource is a bug (tests enforce it). */
export const WildcardOnlyActions = [
  "secretsmanager:ListSecrets",
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

const VaultTagKeys = ["account", "kind", "vendor", "job"];

/** A vault secret must carry the account tag; the adapter also checks it equals the caller's account. */
const taggedWithAccount: Condition = {
  test: "Null",
  variable: "secretsmanager:ResourceTag/account",
  values: ["false"],
};

function sqs(queueArn: string, sid: string, actions: string[]): Statement {
  return { sid, actions, resources: [queueArn] };
}

function statementsFor(grant: Grant, r: AppRefs): Statement[] {
  const vaultSecrets = Arn.secretsUnder(r.scope, vaultPrefix(r.stage));
  switch (grant) {
    case "table":
      return [
        {
          sid: "TableItems",
          actions: [
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
          ],
          resources: [r.tableArn, ...indexNames().map((index) => `${r.tableArn}/index/${index}`)],
        },
      ];
    case "jobs.send":
      return [sqs(r.jobsQueueArn, "JobsQueueSend", ["sqs:SendMessage"])];
    case "jobs.consume":
      return [
        sqs(r.jobsQueueArn, "JobsQueueConsume", [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
        ]),
      ];
    case "webhooks.send":
      return [sqs(r.webhooksQueueArn, "WebhooksQueueSend", ["sqs:SendMessage"])];
    case "webhooks.consume":
      return [
        sqs(r.webhooksQueueArn, "WebhooksQueueConsume", [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
        ]),
      ];
    case "vault.read":
      return [
        {
          sid: "VaultRead",
          actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          resources: [vaultSecrets],
          conditions: [taggedWithAccount],
        },
      ];
    case "vault.write":
      return [
        {
          sid: "VaultWrite",
          actions: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
          resources: [vaultSecrets],
          conditions: [
            { test: "Null", variable: "aws:RequestTag/account", values: ["false"] },
            { test: "Null", variable: "aws:RequestTag/kind", values: ["false"] },
            { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: VaultTagKeys },
          ],
        },
      ];
    case "vault.delete":
      return [
        {
          sid: "VaultDelete",
          actions: ["secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret"],
          resources: [vaultSecrets],
          conditions: [taggedWithAccount],
        },
      ];
    case "vault.list":
      return [{ sid: "VaultList", actions: ["secretsmanager:ListSecrets"], resources: ["*"] }];
    case "stripe":
      // GetSecretValue on the Stripe secret arrives with the `link` (stripeLinkPermission).
      return [];
    case "states.start":
      return [
        {
          sid: "StartJobs",
          actions: ["states:StartExecution", "states:ListExecutions"],
          resources: [r.stateMachineArn],
        },
      ];
    case "states.answer":
      return [
        {
          sid: "AnswerTaskToken",
          actions: ["states:SendTaskSuccess", "states:SendTaskFailure"],
          resources: [r.stateMachineArn],
        },
      ];
    case "states.heartbeat":
      return [
        { sid: "TaskHeartbeat", actions: ["states:SendTaskHeartbeat"], resources: [r.stateMachineArn] },
      ];
    case "artifacts.write":
      return [
        {
          sid: "ArtifactsWrite",
          actions: ["s3:PutObject"],
          resources: [
            `${r.artifactsBucketArn}/${ArtifactPrefix.screenshots}*`,
            `${r.artifactsBucketArn}/${ArtifactPrefix.traces}*`,
          ],
        },
      ];
    case "artifacts.inbound":
      return [
        {
          sid: "InboundMail",
          actions: ["s3:GetObject", "s3:DeleteObject"],
          resources: [`${r.artifactsBucketArn}/${ArtifactPrefix.inbound}*`],
        },
      ];
    case "bedrock": {
      const { profile, model } = bedrockModelOf(Settings.llm.model);
      return [
        {
          sid: "InvokeModel",
          actions: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
          resources: [
            ...(profile ? [Arn.inferenceProfile(r.scope, profile)] : []),
            Arn.foundationModel(r.scope, model),
          ],
        },
      ];
    }
  }
}

/** Secrets Manager calls KMS on the caller's behalf; the key is usable only through it. */
function kmsStatement(grants: readonly Grant[], r: AppRefs): Statement[] {
  const actions = new Set<string>();
  if (grants.includes("vault.write")) {
    actions.add("kms:GenerateDataKey");
    actions.add("kms:Decrypt");
  }
  if (grants.includes("vault.read") || grants.includes("stripe")) actions.add("kms:Decrypt");
  if (actions.size === 0) return [];
  return [
    {
      sid: "VaultKeyViaSecretsManager",
      actions: [...actions].sort(),
      resources: [r.kmsKeyArn],
      conditions: [
        {
          test: "StringEquals",
          variable: "kms:ViaService",
          values: [`secretsmanager.${r.scope.region}.amazonaws.com`],
        },
      ],
    },
  ];
}

/** The `permissions` for one Lambda or the browser task role (links add their own, see linksFor). */
export function policyFor(principal: Principal, refs: AppRefs): Statement[] {
  const grants = Grants[principal];
  return [...grants.flatMap((grant) => statementsFor(grant, refs)), ...kmsStatement(grants, refs)];
}

/** What the Stripe Linkable includes: read exactly one secret. */
export function stripeLinkPermission<T>(stripeSecretArn: T): {
  sid: string;
  actions: string[];
  resources: T[];
} {
  return {
    sid: "StripeSecretRead",
    actions: ["secretsmanager:GetSecretValue"],
    resources: [stripeSecretArn],
  };
}

/** The linkables a principal gets: the Stripe secret only where Grants says so. */
export function linksFor<T>(principal: Principal, linkables: { stripe: T }): T[] {
  return Grants[principal].includes("stripe") ? [linkables.stripe] : [];
}

/** Everything a principal can do, its links included: what the tests reason about. */
export function effectivePolicy(principal: Principal, refs: AppRefs): Statement[] {
  const linked = linksFor(principal, { stripe: stripeLinkPermission(refs.stripeSecretArn) });
  return [...policyFor(principal, refs), ...linked];
}

export interface StateMachineRefs {
  functionArns: string[];
  taskDefinitionArn: string;
  clusterArn: string;
  /** The browser task's task role and execution role, which RunTask passes to ECS. */
  taskRoleArns: string[];
}

/** The state machine's role: invoke its steps, run the browser task, deliver its logs. */
export function stateMachinePolicy(r: StateMachineRefs): Statement[] {
  return [
    {
      sid: "InvokeSteps",
      actions: ["lambda:InvokeFunction"],
      resources: r.functionArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    {
      sid: "RunBrowserTask",
      actions: ["ecs:RunTask"],
      resources: [Arn.taskDefinitionFamily(r.taskDefinitionArn)],
      conditions: [{ test: "ArnEquals", variable: "ecs:cluster", values: [r.clusterArn] }],
    },
    {
      sid: "PassBrowserTaskRoles",
      actions: ["iam:PassRole"],
      resources: r.taskRoleArns,
      conditions: [
        { test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] },
      ],
    },
    {
      sid: "DeliverExecutionLogs",
      actions: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      resources: ["*"],
    },
  ];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]>;
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string[]>>;
  }[];
}

/** IAM JSON for roles SST does not build (the state machine's). */
export function policyDocument(statements: Statement[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: "Allow",
      Action: s.actions,
      Resource: s.resources,
      ...(s.conditions?.length ? { Condition: conditionBlock(s.conditions) } : {}),
    })),
  };
}

function conditionBlock(conditions: Condition[]): Record<string, Record<string, string[]>> {
  const block: Record<string, Record<string, string[]>> = {};
  for (const c of conditions) {
    block[c.test] ??= {};
    block[c.test]![c.variable] = c.values;
  }
  return block;
}

/**
 * The bucket-policy statement that lets SES write raw mail under inbound/, and only for our receipt rule
 * in our account (the confused-deputy guard AWS recommends).
 */
export function sesInboundWriteStatement(input: {
  bucketName: string;
  partition: string;
  accountId: string;
  receiptRuleArn: string;
}): PolicyDocument["Statement"][number] {
  return {
    Sid: "SesWritesInboundMail",
    Effect: "Allow",
    Principal: { Service: "ses.amazonaws.com" },
    Action: ["s3:PutObject"],
    Resource: [`arn:${input.partition}:s3:::${input.bucketName}/${ArtifactPrefix.inbound}*`],
    Condition: {
      StringEquals: { "aws:SourceAccount": [input.accountId] },
      ArnLike: { "aws:SourceArn": [input.receiptRuleArn] },
    },
  };
}

/** The resource-based permission that lets SES invoke the inbound Lambda (scoped by account and rule ARN). */
export const SesInvokesLambda = { action: "lambda:InvokeFunction", principal: "ses.amazonaws.com" } as const;

/** Adds statements to a policy SST already rendered (its bucket policy) without dropping any of its own. */
export function withStatements(policyJson: string, extra: PolicyDocument["Statement"]): string {
  const policy = JSON.parse(policyJson) as { Version?: string; Statement?: unknown[] };
  return JSON.stringify({
    Version: policy.Version ?? "2012-10-17",
    Statement: [...(policy.Statement ?? []), ...extra],
  });
}
