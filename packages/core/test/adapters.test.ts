import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const AwsEnv = {
  AWS_REGION: "us-east-1",
  FG_VAULT_KMS_KEY_ID: "alias/fg-test-vault",
  FG_STRIPE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fg-platform/test/stripe-AbCdEf",
  FG_JOBS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/fg-test-jobs",
  FG_WEBHOOKS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/fg-test-webhooks",
  FG_STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:fg-test-jobs",
};
const Derived = ["FG_STRIPE_SECRET_KEY", "FG_STRIPE_WEBHOOK_SECRET"];
const secretKey = "sk_test_51adaptersTestKey0000";

const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);

/** A fresh copy of core, as a cold start would load it. */
async function coldStart() {
  vi.resetModules();
  return import("../src/index.ts");
}

beforeEach(() => {
  secrets.reset();
  sqs.reset();
  sfn.reset();
  secrets.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ secretKey, webhookSecret: "whsec_adaptersTest" }),
  });
  sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
  sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:exec", startDate: new Date() });
});

afterEach(() => {
  for (const name of [...Object.keys(AwsEnv), ...Derived]) delete process.env[name];
});

describe("configureAdaptersFromEnv", () => {
  it("keeps every local adapter when no AWS resource is named", async () => {
    const core = await coldStart();
    expect(await core.configureAdaptersFromEnv()).toEqual({
      vault: "local",
      payments: "sandbox",
      jobQueue: "local",
      webhookDelivery: "in-process",
      orchestrator: "local",
    });
    expect(core.Vault.use()).toBeInstanceOf(core.LocalVault);
    expect(core.PaymentRail.use()).toBeInstanceOf(core.SandboxPaymentRail);
    expect(core.CardIssuer.use()).toBeInstanceOf(core.SandboxCardIssuer);
  });

  it("picks Secrets Manager, Stripe, SQS and Step Functions from the deployed environment", async () => {
    Object.assign(process.env, AwsEnv);
    const core = await coldStart();
    expect(await core.configureAdaptersFromEnv()).toEqual({
      vault: "secrets-manager",
      payments: "stripe",
      jobQueue: "sqs",
      webhookDelivery: "sqs",
      orchestrator: "step-functions",
    });
    expect(core.Vault.use()).toBeInstanceOf(core.SecretsManagerVault);
    expect(core.PaymentRail.use()).toBeInstanceOf(core.StripePaymentRail);
    expect(core.CardIssuer.use()).toBeInstanceOf(core.StripeCardIssuer);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: AwsEnv.FG_STRIPE_SECRET_ARN,
    });

    const message = { accountId: "acct_01JAAAAAAAAAAAAAAAAAAAAAAA", jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA" };
    await core.JobQueue.use().send(message);
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: AwsEnv.FG_JOBS_QUEUE_URL,
    });
    await core.Orchestration.use().start(message);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn: AwsEnv.FG_STATE_MACHINE_ARN,
      name: message.jobId,
    });
  });

  it("configures once per cold start, however often it is awaited", async () => {
    Object.assign(process.env, AwsEnv);
    const core = await coldStart();
    const [first, second] = await Promise.all([
      core.configureAdaptersFromEnv(),
      core.configureAdaptersFromEnv(),
    ]);
    await core.configureAdaptersFromEnv();
    expect(second).toBe(first);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("tries again on the next call when the Stripe secret could not be read", async () => {
    Object.assign(process.env, AwsEnv);
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error("throttled"))
      .resolves({
        SecretString: JSON.stringify({ secretKey, webhookSecret: "whsec_adaptersTest" }),
      });
    const core = await coldStart();
    await expect(core.configureAdaptersFromEnv()).rejects.toThrow("throttled");
    expect((await core.configureAdaptersFromEnv()).payments).toBe("stripe");
  });
});
