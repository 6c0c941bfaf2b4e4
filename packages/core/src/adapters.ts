/**
 * The one place a deployed process (a Lambda, the Fargate browser worker) picks its adapters from the
 * environment. Each variable names an AWS resource; without it the local default of that port stays in
 * place, so a local child process that calls this changes nothing.
 */
import { CardIssuer, StripeCardIssuer } from "./card/index.ts";
import { loadStripeSecret } from "./infra/stripe-secret.ts";
import { Orchestration } from "./orchestrator/registry.ts";
import { PaymentRail, StripePaymentRail } from "./payment/index.ts";
import { createStripe } from "./payment/stripe-client.ts";
import { JobQueue } from "./queue/index.ts";
import { createSqsJobQueue } from "./queue/sqs.ts";
import { SecretsManagerVault, Vault } from "./vault/index.ts";
import { WebhookEndpoint } from "./webhook-endpoint/index.ts";
import { createSqsDeliveryQueue } from "./webhook-endpoint/sqs.ts";

export interface ConfiguredAdapters {
  vault: "secrets-manager" | "local";
  payments: "stripe" | "sandbox";
  jobQueue: "sqs" | "local";
  webhookDelivery: "sqs" | "in-process";
  orchestrator: "step-functions" | "local";
}

let configuring: Promise<ConfiguredAdapters> | undefined;

/** Idempotent: the first call configures (awaiting the Stripe secret); later calls share its result. */
export function configureAdaptersFromEnv(): Promise<ConfiguredAdapters> {
  configuring ??= configure(process.env).catch((error: unknown) => {
    configuring = undefined;
    throw error;
  });
  return configuring;
}

async function configure(env: NodeJS.ProcessEnv): Promise<ConfiguredAdapters> {
  await loadStripeSecret();
  const stripeKey = env.FG_STRIPE_SECRET_KEY;
  if (stripeKey) {
    const stripe = createStripe({ apiKey: stripeKey });
    PaymentRail.configure(new StripePaymentRail(stripe));
    CardIssuer.configure(new StripeCardIssuer(stripe));
  }

  if (env.FG_JOBS_QUEUE_URL) JobQueue.configure(createSqsJobQueue({ queueUrl: env.FG_JOBS_QUEUE_URL }));
  if (env.FG_WEBHOOKS_QUEUE_URL) {
    WebhookEndpoint.configure({ queue: createSqsDeliveryQueue({ queueUrl: env.FG_WEBHOOKS_QUEUE_URL }) });
  }

  // The vault (FG_VAULT_KMS_KEY_ID → Secrets Manager) and the orchestrator (FG_STATE_MACHINE_ARN → Step
  // Functions) choose for themselves on first use; resolving them here keeps that one rule and makes a
  // misconfiguration fail at cold start instead of in the middle of a job.
  const vault = Vault.use();
  Orchestration.use();

  return {
    vault: vault instanceof SecretsManagerVault ? "secrets-manager" : "local",
    payments: stripeKey ? "stripe" : "sandbox",
    jobQueue: env.FG_JOBS_QUEUE_URL ? "sqs" : "local",
    webhookDelivery: env.FG_WEBHOOKS_QUEUE_URL ? "sqs" : "in-process",
    orchestrator: env.FG_STATE_MACHINE_ARN ? "step-functions" : "local",
  };
}
