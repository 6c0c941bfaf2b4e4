import type { ApiKey, Credential, Job, JobEvent, Ledger, Policy } from "@fg/core";
import type { VendorCatalog } from "@fg/core/vendor/catalog";

// The API's shapes (SPEC §9), taken from core's schemas as types only: the CLI never loads core at runtime.
export type JobInfo = Job.Info;
export type JobStatus = Job.Status;
export type JobGoal = Job.Goal;
export type JobEventInfo = JobEvent.Info;
export type CredentialInfo = Credential.Info;
export type RevealedCredential = Credential.Revealed;
export type PolicyInfo = Policy.Info;
export type VendorInfo = VendorCatalog.Entry;
export type LedgerEntry = Ledger.Info;
export type ApiKeyInfo = ApiKey.Info;
export type ApiKeyCreated = ApiKey.Created;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface SignupResult {
  account: { id: string; email: string };
  apiKey: ApiKeyCreated;
}

export interface PaymentMethodSetup {
  id: string;
  status: string;
  clientSecret: string | null;
  paymentMethodId: string | null;
}

export interface PaymentMethod {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
}

export interface LedgerVerification {
  valid: boolean;
  entries: number;
  brokenAt: number | null;
}

export const TERMINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "canceled", "needs_human"];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
