export { Account } from "./account/index.ts";
export { Actor } from "./actor/index.ts";
export { type ConfiguredAdapters, configureAdaptersFromEnv } from "./adapters.ts";
export { ApiKey } from "./api-key/index.ts";
export { Audit } from "./audit/index.ts";
export { Card, CardIssuer, SandboxCardIssuer, StripeCardIssuer } from "./card/index.ts";
export { CardNetwork } from "./card/network.ts";
export { Config } from "./config.ts";
export { Credential } from "./credential/index.ts";
export { Email, type EmailResolver } from "./email/index.ts";
export { Idempotency } from "./idempotency/index.ts";
export { Job } from "./job/index.ts";
export { JobEvent } from "./job-event/index.ts";
export { Ledger } from "./ledger/index.ts";
export { log, type SerializedError, serializeError } from "./logger/index.ts";
export { Money } from "./money/index.ts";
export {
  createLocalOrchestrator,
  createLocalTaskReporter,
  createStepFunctionsOrchestrator,
  LocalTasks,
  Orchestration,
  type Orchestrator,
  TaskGoneError,
  type TaskOutcome,
  TaskTimeoutError,
} from "./orchestrator/index.ts";
export { createStripe, PaymentRail, SandboxPaymentRail, StripePaymentRail } from "./payment/index.ts";
export { Policy } from "./policy/index.ts";
export { JobQueue } from "./queue/index.ts";
export { createLocalJobQueue, type LocalJobQueueOptions } from "./queue/local.ts";
export { RateLimit } from "./rate-limit/index.ts";
// Importing the secret module also wires redaction into every job event.
export { SecretName, SecretRegistry, Secrets } from "./secret/index.ts";
export { Store } from "./store/index.ts";
export { type ErrorKind, type FieldError, isVisibleError, VisibleError } from "./util/error.ts";
export { type Fn, fn } from "./util/fn.ts";
export { Id, type IdKind } from "./util/id.ts";
export type { Page } from "./util/page.ts";
export {
  LocalVault,
  MasterKeys,
  SecretsManagerVault,
  type SecretsManagerVaultOptions,
  Vault,
  VaultIntegrityError,
} from "./vault/index.ts";
export { VendorCatalog } from "./vendor/catalog.ts";
export { Vendor } from "./vendor/index.ts";
export { VendorState } from "./vendor-state/index.ts";
export { Webhook } from "./webhook/index.ts";
export { WebhookEndpoint } from "./webhook-endpoint/index.ts";
export {
  BrowserResult,
  canceled,
  LambdaStates,
  StepError,
  StepRecord,
  stateFunction,
  Workflow,
  type WorkflowDefinition,
  WorkflowErrors,
  type WorkflowFunction,
  type WorkflowParams,
  workflowDefinition,
} from "./workflow/index.ts";
