import { Service } from "electrodb";
import { AccountEntity } from "../account/account.entity.ts";
import { ApiKeyEntity } from "../api-key/api-key.entity.ts";
import { AuditEntryEntity } from "../audit/audit-entry.entity.ts";
import { CredentialEntity } from "../credential/credential.entity.ts";
import { IdempotencyRecordEntity } from "../idempotency/idempotency-record.entity.ts";
import { JobEntity } from "../job/job.entity.ts";
import { JobEventEntity } from "../job-event/job-event.entity.ts";
import { LedgerEntryEntity } from "../ledger/ledger-entry.entity.ts";
import { PolicyEntity } from "../policy/policy.entity.ts";
import { VendorStateEntity } from "../vendor-state/vendor-state.entity.ts";
import { WebhookReceiptEntity } from "../webhook/webhook-receipt.entity.ts";
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
    credential: CredentialEntity,
    idempotencyRecord: IdempotencyRecordEntity,
    job: JobEntity,
    jobEvent: JobEventEntity,
    ledgerEntry: LedgerEntryEntity,
    policy: PolicyEntity,
    unique: UniqueEntity,
    vendorState: VendorStateEntity,
    webhookReceipt: WebhookReceiptEntity,
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
