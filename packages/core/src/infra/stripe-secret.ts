/**
 * Cold-start loading of the Stripe keys on AWS. The deployment links a Secrets Manager secret (not an
 * sst.Secret) and sets FG_STRIPE_SECRET_ARN; this reads it once and fills the variables the Stripe
 * adapters already read. The values are registered for redaction before anything can log them.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { Secrets } from "../secret/index.ts";

/** What an operator stores in the secret (the README's "Deploy to AWS" shows the command). */
export const StripeSecretValue = z
  .object({
    secretKey: z.string().regex(/^(sk|rk)_(live|test)_\w+$/, "must be a Stripe secret or restricted key"),
    webhookSecret: z.string().regex(/^whsec_\w+$/, "must be a Stripe webhook signing secret"),
  })
  .strict();

let loading: Promise<boolean> | undefined;

/**
 * Resolves true when the keys were loaded from Secrets Manager, false when there is nothing to load (no
 * FG_STRIPE_SECRET_ARN, or the keys are already in the environment, as in local mode).
 */
export function loadStripeSecret(
  options: { env?: NodeJS.ProcessEnv; client?: SecretsManagerClient } = {},
): Promise<boolean> {
  const env = options.env ?? process.env;
  if (options.env || options.client) return load(env, options.client);
  loading ??= load(env).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(env: NodeJS.ProcessEnv, client?: SecretsManagerClient): Promise<boolean> {
  const secretId = env.FG_STRIPE_SECRET_ARN;
  if (!secretId || (env.FG_STRIPE_SECRET_KEY && env.FG_STRIPE_WEBHOOK_SECRET)) return false;
  const response = await (client ?? new SecretsManagerClient({})).send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  let parsed: z.infer<typeof StripeSecretValue>;
  try {
    parsed = StripeSecretValue.parse(JSON.parse(response.SecretString ?? ""));
  } catch {
    // Never echo the payload: it is the secret.
    throw new Error(
      `The Stripe secret ${secretId} must be JSON {"secretKey":"sk_…","webhookSecret":"whsec_…"} (see the README, "Deploy to AWS")`,
    );
  }
  Secrets.register("API_KEY", parsed.secretKey);
  Secrets.register("SECRET", parsed.webhookSecret);
  env.FG_STRIPE_SECRET_KEY = parsed.secretKey;
  env.FG_STRIPE_WEBHOOK_SECRET = parsed.webhookSecret;
  return true;
}
