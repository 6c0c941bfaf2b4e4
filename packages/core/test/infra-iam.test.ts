import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { Actor } from "../src/actor/index.ts";
import {
  type AppRefs,
  effectivePolicy,
  Grants,
  linksFor,
  policyDocument,
  policyFor,
  type Statement,
  sesInboundWriteStatement,
  stateMachinePolicy,
  stripeLinkPermission,
  WildcardOnlyActions,
  withStatements,
} from "../src/infra/iam.ts";
import { FunctionKeys, type Principal, stripeSecretName, vaultPrefix } from "../src/infra/names.ts";
import { TableDefinition } from "../src/store/table.ts";
import { Id } from "../src/util/id.ts";
import { SecretsManagerVault } from "../src/vault/secrets-manager.ts";

const scope = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
const refs: AppRefs = {
  scope,
  stage: "prod",
  tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/fg-prod-Table",
  jobsQueueArn: "arn:aws:sqs:eu-west-1:123456789012:fg-prod-JobsQueue",
  webhooksQueueArn: "arn:aws:sqs:eu-west-1:123456789012:fg-prod-WebhooksQueue",
  artifactsBucketArn: "arn:aws:s3:::fg-prod-artifacts",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1111-2222",
  stripeSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fg-platform/prod/stripe-AbCdEf",
  stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:fg-prod-jobs",
};
const principals: Principal[] = [...FunctionKeys, "browserTask"];
const vaultArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fg/prod/*";

const actions = (statements: Statement[]) => statements.flatMap((s) => s.actions);
const can = (principal: Principal, action: string) =>
  actions(effectivePolicy(principal, refs)).includes(action);
const holders = (action: string) => principals.filter((p) => can(p, action));
const machine = stateMachinePolicy({
  functionArns: ["arn:aws:lambda:eu-west-1:123456789012:function:fg-prod-StepPlan"],
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/fg-prod-BrowserWorker:7",
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/fg-prod-Cluster",
  taskRoleArns: ["arn:aws:iam::123456789012:role/task", "arn:aws:iam::123456789012:role/execution"],
});

describe("IAM policies as data", () => {
  it("gives every Lambda and the browser task a policy", () => {
    expect(Object.keys(Grants).sort()).toEqual([...principals].sort());
  });

  it("never grants a wildcard action", () => {
    for (const statements of [...principals.map((p) => effectivePolicy(p, refs)), machine]) {
      for (const action of actions(statements)) expect(action).not.toContain("*");
    }
  });

  it("uses a * resource only for actions AWS cannot scope", () => {
    for (const statements of [...principals.map((p) => effectivePolicy(p, refs)), machine]) {
      for (const s of statements.filter((s) => s.resources.includes("*"))) {
        expect(s.resources).toEqual(["*"]);
        for (const action of s.actions) expect(WildcardOnlyActions).toContain(action);
      }
    }
  });

  it("names only this deployment's resources", () => {
    const ours = [
      refs.tableArn,
      refs.jobsQueueArn,
      refs.webhooksQueueArn,
      refs.artifactsBucketArn,
      refs.kmsKeyArn,
      refs.stripeSecretArn,
      refs.stateMachineArn,
      vaultArn.slice(0, -1),
      "arn:aws:bedrock:",
    ];
    for (const p of principals) {
      for (const resource of effectivePolicy(p, refs).flatMap((s) => s.resources)) {
        if (resource === "*") continue;
        expect(
          ours.some((prefix) => resource.startsWith(prefix)),
          `${p}: ${resource}`,
        ).toBe(true);
      }
    }
  });

  it("limits table access to item operations on the table and its indexes", () => {
    const indexes = Object.keys(TableDefinition.globalIndexes).map((i) => `${refs.tableArn}/index/${i}`);
    for (const p of principals) {
      const table = effectivePolicy(p, refs).find((s) => s.sid === "TableItems");
      expect(table?.resources).toEqual([refs.tableArn, ...indexes]);
      expect(table?.actions).not.toEqual(expect.arrayContaining(["dynamodb:Scan"]));
      expect(table?.actions.some((a) => /Table|Backup|Stream/.test(a.split(":")[1]!))).toBe(false);
    }
  });

  it("lets only the jobs consumer start executions and only the browser task heartbeat", () => {
    expect(holders("states:StartExecution")).toEqual(["jobsConsumer"]);
    expect(holders("states:SendTaskHeartbeat")).toEqual(["browserTask"]);
    // requestApproval answers its own token when the job was approved before the wait began (a replay).
    expect(holders("states:SendTaskSuccess").sort()).toEqual(["api", "browserTask", "requestApproval"]);
    expect(holders("states:StopExecution")).toEqual([]);
  });

  it("lets only the browser task call the model", () => {
    expect(holders("bedrock:InvokeModel")).toEqual(["browserTask"]);
    const invoke = effectivePolicy("browserTask", refs).find((s) => s.sid === "InvokeModel");
    expect(invoke?.resources).toEqual([
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
    ]);
  });

  it("keeps the Stripe keys away from the browser task and the steps that do not move money", () => {
    const readers = principals.filter((p) =>
      effectivePolicy(p, refs).some((s) => s.resources.includes(refs.stripeSecretArn)),
    );
    expect(readers.sort()).toEqual(["api", "charge", "compensate", "issueCard", "settle"]);
    expect(linksFor("browserTask", { stripe: "linkable" })).toEqual([]);
    expect(linksFor("charge", { stripe: "linkable" })).toEqual(["linkable"]);
    expect(stripeLinkPermission(refs.stripeSecretArn).actions).toEqual(["secretsmanager:GetSecretValue"]);
  });

  it("keeps platform secrets outside the vault prefix every vault grant is scoped to", () => {
    expect(stripeSecretName("prod").startsWith(vaultPrefix("prod"))).toBe(false);
    for (const p of principals) {
      for (const s of policyFor(p, refs).filter((s) => s.sid.startsWith("Vault") && s.sid !== "VaultList")) {
        if (s.sid === "VaultKeyViaSecretsManager") continue;
        expect(s.resources, `${p} ${s.sid}`).toEqual([vaultArn]);
      }
    }
  });

  it("requires the account tag on every vault secret read, written or deleted", () => {
    for (const p of principals) {
      for (const s of policyFor(p, refs).filter((s) => ["VaultRead", "VaultDelete"].includes(s.sid))) {
        expect(s.conditions).toContainEqual({
          test: "Null",
          variable: "secretsmanager:ResourceTag/account",
          values: ["false"],
        });
      }
      for (const s of policyFor(p, refs).filter((s) => s.sid === "VaultWrite")) {
        expect(s.conditions).toContainEqual({
          test: "Null",
          variable: "aws:RequestTag/account",
          values: ["false"],
        });
      }
    }
  });

  it("allows exactly the names and tags the Secrets Manager vault adapter writes", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(CreateSecretCommand).resolves({});
    const vault = new SecretsManagerVault({
      kmsKeyId: refs.kmsKeyArn,
      stage: "prod",
      client: sm as unknown as SecretsManagerClient,
    });
    const accountId = Id.create("account");
    await Actor.system("iam test", accountId, () =>
      vault.put({
        kind: "api_key",
        value: "k-123",
        vendor: "https://relay.example",
        jobId: Id.create("job"),
      }),
    );
    const input = sm.commandCalls(CreateSecretCommand)[0]!.args[0].input;
    const write = policyFor("browserTask", refs).find((s) => s.sid === "VaultWrite")!;
    const allowedKeys = write.conditions!.find((c) => c.variable === "aws:TagKeys")!.values;
    expect(input.Name!.startsWith(vaultPrefix("prod"))).toBe(true);
    expect(input.Tags!.map((t) => t.Key).every((k) => allowedKeys.includes(k!))).toBe(true);
    expect(input.Tags).toContainEqual({ Key: "account", Value: accountId });
    expect(input.Tags!.map((t) => t.Key)).toContain("kind");
  });

  it("lets the browser task read and write the vault but not delete, list or see Stripe", () => {
    expect(can("browserTask", "secretsmanager:GetSecretValue")).toBe(true);
    expect(can("browserTask", "secretsmanager:CreateSecret")).toBe(true);
    expect(can("browserTask", "secretsmanager:DeleteSecret")).toBe(false);
    expect(can("browserTask", "secretsmanager:ListSecrets")).toBe(false);
    expect(holders("secretsmanager:ListSecrets")).toEqual(["api"]);
  });

  it("uses the KMS key only through Secrets Manager", () => {
    for (const p of principals) {
      for (const s of policyFor(p, refs).filter((s) => s.actions.some((a) => a.startsWith("kms:")))) {
        expect(s.resources).toEqual([refs.kmsKeyArn]);
        expect(s.conditions).toEqual([
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: ["secretsmanager.eu-west-1.amazonaws.com"],
          },
        ]);
      }
    }
    expect(actions(policyFor("browserTask", refs))).toEqual(expect.arrayContaining(["kms:GenerateDataKey"]));
    expect(actions(policyFor("charge", refs))).toContain("kms:Decrypt");
    expect(actions(policyFor("plan", refs)).some((a) => a.startsWith("kms:"))).toBe(false);
  });

  it("confines artifacts: the task writes screenshots and traces, the inbound Lambda reads mail", () => {
    expect(effectivePolicy("browserTask", refs).find((s) => s.sid === "ArtifactsWrite")?.resources).toEqual([
      `${refs.artifactsBucketArn}/screenshots/*`,
      `${refs.artifactsBucketArn}/traces/*`,
    ]);
    expect(holders("s3:GetObject")).toEqual(["emailInbound"]);
    expect(effectivePolicy("emailInbound", refs).find((s) => s.sid === "InboundMail")?.resources).toEqual([
      `${refs.artifactsBucketArn}/inbound/*`,
    ]);
  });

  it("lets only the API enqueue jobs and only the jobs consumer receive them", () => {
    const jobSenders = principals.filter((p) =>
      effectivePolicy(p, refs).some((s) => s.sid === "JobsQueueSend"),
    );
    expect(jobSenders).toEqual(["api"]);
    const jobReceivers = principals.filter((p) =>
      effectivePolicy(p, refs).some((s) => s.sid === "JobsQueueConsume"),
    );
    expect(jobReceivers).toEqual(["jobsConsumer"]);
  });

  it("lets the state machine invoke its steps, run only the browser task family and pass only its roles", () => {
    const [invoke, run, pass] = machine;
    expect(invoke?.resources).toEqual([
      "arn:aws:lambda:eu-west-1:123456789012:function:fg-prod-StepPlan",
      "arn:aws:lambda:eu-west-1:123456789012:function:fg-prod-StepPlan:*",
    ]);
    expect(run?.resources).toEqual([
      "arn:aws:ecs:eu-west-1:123456789012:task-definition/fg-prod-BrowserWorker:*",
    ]);
    expect(run?.conditions?.[0]?.values).toEqual([
      "arn:aws:ecs:eu-west-1:123456789012:cluster/fg-prod-Cluster",
    ]);
    expect(pass?.conditions).toEqual([
      { test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] },
    ]);
  });

  it("renders IAM JSON with conditions grouped by operator", () => {
    const doc = policyDocument(policyFor("browserTask", refs));
    const write = doc.Statement.find((s) => s.Sid === "VaultWrite")!;
    expect(write.Effect).toBe("Allow");
    expect(write.Condition).toEqual({
      Null: { "aws:RequestTag/account": ["false"], "aws:RequestTag/kind": ["false"] },
      "ForAllValues:StringEquals": { "aws:TagKeys": ["account", "kind", "vendor", "job"] },
    });
    expect(doc.Statement.find((s) => s.Sid === "TableItems")?.Condition).toBeUndefined();
  });

  it("lets SES write inbound mail for our rule only, keeping SST's own bucket policy", () => {
    const sst = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    const rule =
      "arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/fg-prod-inbox:receipt-rule/fg-prod-inbound";
    const merged = JSON.parse(
      withStatements(sst, [
        sesInboundWriteStatement({
          bucketName: "fg-prod-artifacts",
          partition: "aws",
          accountId: "123456789012",
          receiptRuleArn: rule,
        }),
      ]),
    );
    expect(merged.Statement).toHaveLength(2);
    expect(merged.Statement[0].Effect).toBe("Deny");
    expect(merged.Statement[1]).toMatchObject({
      Principal: { Service: "ses.amazonaws.com" },
      Action: ["s3:PutObject"],
      Resource: ["arn:aws:s3:::fg-prod-artifacts/inbound/*"],
      Condition: {
        StringEquals: { "aws:SourceAccount": ["123456789012"] },
        ArnLike: { "aws:SourceArn": [rule] },
      },
    });
  });
});
