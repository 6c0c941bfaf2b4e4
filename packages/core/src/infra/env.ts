/**
 * The environment every deployed function and the browser task start with. Values are resource names and
 * ARNs (deploy-time outputs, hence the type parameter), never secret values: Stripe keys are read from
 * Secrets Manager at cold start by the principals iam.ts lets read them.
 */
import { type Principal, vaultPrefix } from "./names.ts";
import { Settings } from "./settings.ts";

export interface EnvRefs<T> {
  stage: string;
  table: T;
  kmsKeyId: T;
  jobsQueueUrl: T;
  webhooksQueueUrl: T;
  stateMachineArn: T;
  artifactsBucket: T;
  inboxDomain: string;
  stripeSecretArn: T;
}

/** The contract from the orchestration issue; every principal gets all of these. */
export const CommonEnv = [
  "FG_STAGE",
  "FG_TABLE",
  "FG_VAULT_KMS_KEY_ID",
  "FG_VAULT_PREFIX",
  "FG_JOBS_QUEUE_URL",
  "FG_WEBHOOKS_QUEUE_URL",
  "FG_STATE_MACHINE_ARN",
  "FG_ARTIFACTS_BUCKET",
  "FG_INBOX_DOMAIN",
  "FG_SIGNUP",
  "FG_LLM_PROVIDER",
  "FG_LLM_MODEL",
  "FG_LOG_LEVEL",
  "POWERTOOLS_SERVICE_NAME",
] as const;

export function environment<T>(
  principal: Principal,
  refs: EnvRefs<T>,
  options: { stripe: boolean },
): Record<string, T | string> {
  return {
    FG_STAGE: refs.stage,
    FG_TABLE: refs.table,
    // Setting it is what switches Vault.use() to Secrets Manager + KMS.
    FG_VAULT_KMS_KEY_ID: refs.kmsKeyId,
    FG_VAULT_PREFIX: vaultPrefix(refs.stage),
    FG_JOBS_QUEUE_URL: refs.jobsQueueUrl,
    FG_WEBHOOKS_QUEUE_URL: refs.webhooksQueueUrl,
    FG_STATE_MACHINE_ARN: refs.stateMachineArn,
    FG_ARTIFACTS_BUCKET: refs.artifactsBucket,
    FG_INBOX_DOMAIN: refs.inboxDomain,
    FG_SIGNUP: "closed",
    FG_LLM_PROVIDER: Settings.llm.provider,
    FG_LLM_MODEL: Settings.llm.model,
    FG_LOG_LEVEL: "INFO",
    POWERTOOLS_SERVICE_NAME: `fg-${principal}`,
    ...(options.stripe ? { FG_STRIPE_SECRET_ARN: refs.stripeSecretArn } : {}),
    ...(principal === "jobsConsumer"
      ? { FG_MAX_CONCURRENT_JOBS: String(Settings.maxConcurrentBrowserJobs) }
      : {}),
  };
}
