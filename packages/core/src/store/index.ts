import { Service } from "electrodb";
import { AccountEntity } from "../account/account.entity.ts";
import { ApiKeyEntity } from "../api-key/api-key.entity.ts";
import { AuditEntryEntity } from "../audit/audit-entry.entity.ts";
import { CardEntity } from "../card/card.entity.ts";
import { CardAuthorizationEntity } from "../card/card-authorization.entity.ts";
import { CardIssueEntity } from "../card/card-issue.entity.ts";
import { CardTransactionEntity } from "../card/card-transaction.entity.ts";
import { SandboxCardNumberEntity } from "../card/sandbox-card-number.entity.ts";
import { CredentialEntity } from "../credential/credential.entity.ts";
import { EmailMessageEntity } from "../email/email-message.entity.ts";
import { InboxEntity } from "../email/inbox.entity.ts";
import { IdempotencyRecordEntity } from "../idempotency/idempotency-record.entity.ts";
import { JobEntity } from "../job/job.entity.ts";
import { JobEventEntity } from "../job-event/job-event.entity.ts";
import { LedgerEntryEntity } from "../ledger/ledger-entry.entity.ts";
import { LedgerKeyEntity } from "../ledger/ledger-key.entity.ts";
import { JobMoneyEntity } from "../money/job-money.entity.ts";
import { TaskTokenEntity } from "../orchestrator/task-token.entity.ts";
import { PaymentProfileEntity } from "../payment/payment-profile.entity.ts";
import { SandboxPaymentEntity } from "../payment/sandbox-payment.entity.ts";
import { SandboxPaymentMethodEntity } from "../payment/sandbox-payment-method.entity.ts";
import { PolicyEntity } from "../policy/policy.entity.ts";
import { RateLimitCounterEntity } from "../rate-limit/rate-limit-counter.entity.ts";
import { VaultSecretEntity } from "../vault/vault-secret.entity.ts";
import { VendorStateEntity } from "../vendor-state/vendor-state.entity.ts";
import { WebhookReceiptEntity } from "../webhook/webhook-receipt.entity.ts";
import { WebhookDeliveryEntity } from "../webhook-endpoint/webhook-delivery.entity.ts";
import { WebhookEndpointEntity } from "../webhook-endpoint/webhook-endpoint.entity.ts";
import { StepRecordEntity } from "../workflow/step-record.entity.ts";
import { binding } from "./binding.ts";
import { createDocumentClient, type StoreTarget } from "./client.ts";
import { UniqueEntity } from "./unique.entity.ts";

export { conflictOnCondition, isConditionalFailure } from "./errors.ts";
export { createTableInput, TableDefinition } from "./table.ts";

const service = new Service(
  {
    account: AccountEntity,
    apiKey: ApiKeyEntity,
    auditEntry: AuditEntryEntity,
    card: CardEntity,
    cardAuthorization: CardAuthorizationEntity,
    cardIssue: CardIssueEntity,
    cardTransaction: CardTransactionEntity,
    credential: CredentialEntity,
    emailMessage: EmailMessageEntity,
    idempotencyRecord: IdempotencyRecordEntity,
    inbox: InboxEntity,
    job: JobEntity,
    jobEvent: JobEventEntity,
    ledgerEntry: LedgerEntryEntity,
    ledgerKey: LedgerKeyEntity,
    jobMoney: JobMoneyEntity,
    paymentProfile: PaymentProfileEntity,
    sandboxCardNumber: SandboxCardNumberEntity,
    sandboxPayment: SandboxPaymentEntity,
    sandboxPaymentMethod: SandboxPaymentMethodEntity,
    policy: PolicyEntity,
    rateLimitCounter: RateLimitCounterEntity,
    stepRecord: StepRecordEntity,
    taskToken: TaskTokenEntity,
    unique: UniqueEntity,
    vaultSecret: VaultSecretEntity,
    vendorState: VendorStateEntity,
    webhookReceipt: WebhookReceiptEntity,
    webhookDelivery: WebhookDeliveryEntity,
    webhookEndpoint: WebhookEndpointEntity,
  },
  binding,
);

export namespace Store {
  export const fg = service;

  /** Points every entity at another table or endpoint (the local runtime learns its port at run time). */
  export function configure(target: StoreTarget): void {
    binding.table = target.table;
    binding.client = createDocumentClient(target);
    service.setClient(binding.client);
    service.setTableName(target.table);
  }

  export function client() {
    return binding.client;
  }

  export function table() {
    return binding.table;
  }
}
