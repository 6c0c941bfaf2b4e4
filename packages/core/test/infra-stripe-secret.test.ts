import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { loadStripeSecret } from "../src/infra/stripe-secret.ts";
import { Secrets } from "../src/secret/index.ts";

const arn = "arn:aws:secretsmanager:us-east-1:1:secret:fg-platform/prod/stripe-AbCdEf";
const secretKey = "sk_test_51AbcDefGhiJklMnoPqr";
const webhookSecret = "whsec_TestSigningSecret123";
const sm = mockClient(SecretsManagerClient);
const client = sm as unknown as SecretsManagerClient;

afterEach(() => sm.reset());

describe("loading the Stripe keys on AWS", () => {
  it("fills the Stripe variables from the linked secret and redacts them from then on", async () => {
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({
      SecretString: JSON.stringify({ secretKey, webhookSecret }),
    });
    const env: NodeJS.ProcessEnv = { FG_STRIPE_SECRET_ARN: arn };
    expect(await loadStripeSecret({ env, client })).toBe(true);
    expect(env.FG_STRIPE_SECRET_KEY).toBe(secretKey);
    expect(env.FG_STRIPE_WEBHOOK_SECRET).toBe(webhookSecret);
    const redacted = Secrets.redact(`key ${secretKey} hook ${webhookSecret}`);
    expect(redacted).not.toContain(secretKey);
    expect(redacted).not.toContain(webhookSecret);
  });

  it("does nothing without a secret ARN or when the keys are already set (local mode)", async () => {
    expect(await loadStripeSecret({ env: {}, client })).toBe(false);
    expect(
      await loadStripeSecret({
        env: {
          FG_STRIPE_SECRET_ARN: arn,
          FG_STRIPE_SECRET_KEY: "sk_test_x",
          FG_STRIPE_WEBHOOK_SECRET: "whsec_x",
        },
        client,
      }),
    ).toBe(false);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("rejects a malformed secret without echoing its contents", async () => {
    // Built at run time so the repository never holds anything shaped like a live key.
    const leaked = ["sk", "live", "ThisMustNeverAppear"].join("_");
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ secretKey: leaked }) });
    const error = await loadStripeSecret({ env: { FG_STRIPE_SECRET_ARN: arn }, client }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("Deploy to AWS");
    expect((error as Error).message).not.toContain(leaked);
  });
});
