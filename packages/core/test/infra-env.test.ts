import { describe, expect, it } from "vitest";
import { CommonEnv, type EnvRefs, environment } from "../src/infra/env.ts";
import { Grants } from "../src/infra/iam.ts";
import { FunctionKeys, type Principal } from "../src/infra/names.ts";
import { Settings } from "../src/infra/settings.ts";

const refs: EnvRefs<string> = {
  stage: "prod",
  table: "fg-prod-Table",
  kmsKeyId: "arn:aws:kms:us-east-1:1:key/k",
  jobsQueueUrl: "https://sqs.us-east-1.amazonaws.com/1/jobs",
  webhooksQueueUrl: "https://sqs.us-east-1.amazonaws.com/1/webhooks",
  stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:fg-prod-jobs",
  artifactsBucket: "fg-prod-artifacts",
  inboxDomain: "inbox.example.com",
  stripeSecretArn: "arn:aws:secretsmanager:us-east-1:1:secret:fg-platform/prod/stripe-x",
};
const principals: Principal[] = [...FunctionKeys, "browserTask"];
const stripeReaders = (p: Principal) => Grants[p].includes("stripe");

describe("function environment", () => {
  it("gives every function and the browser task the whole contract", () => {
    for (const p of principals) {
      const env = environment(p, refs, { stripe: stripeReaders(p) });
      for (const key of CommonEnv) expect(env[key], `${p} ${key}`).toBeDefined();
    }
  });

  it("runs with the AWS vault, closed signup and Bedrock", () => {
    const env = environment("api", refs, { stripe: true });
    expect(env).toMatchObject({
      FG_SIGNUP: "closed",
      FG_LLM_PROVIDER: "bedrock",
      FG_LLM_MODEL: Settings.llm.model,
      FG_VAULT_KMS_KEY_ID: refs.kmsKeyId,
      FG_VAULT_PREFIX: "fg/prod/",
      FG_TABLE: "fg-prod-Table",
      FG_STAGE: "prod",
    });
  });

  it("points only the Stripe readers at the Stripe secret, and never carries a key", () => {
    for (const p of principals) {
      const env = environment(p, refs, { stripe: stripeReaders(p) });
      expect("FG_STRIPE_SECRET_ARN" in env, p).toBe(stripeReaders(p));
      expect(env.FG_STRIPE_SECRET_KEY).toBeUndefined();
      expect(env.FG_STRIPE_WEBHOOK_SECRET).toBeUndefined();
    }
  });

  it("tells the jobs consumer how many browser jobs may run at once", () => {
    expect(environment("jobsConsumer", refs, { stripe: false }).FG_MAX_CONCURRENT_JOBS).toBe(
      String(Settings.maxConcurrentBrowserJobs),
    );
    expect(environment("api", refs, { stripe: true }).FG_MAX_CONCURRENT_JOBS).toBeUndefined();
  });
});
