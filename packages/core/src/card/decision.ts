import type { Status } from "../job/status.ts";

export type DecisionReason =
  | "within_job_limit"
  | "recurring_within_limits"
  | "card_not_active"
  | "invalid_amount"
  | "currency_mismatch"
  | "merchant_mismatch"
  | "over_limit"
  | "job_not_active"
  | "recurring_not_allowed"
  | "over_monthly_limit"
  | "over_monthly_cap";

export interface DecisionInput {
  card: {
    status: "active" | "inactive" | "canceled";
    currency: string;
    limit: number;
    held: number;
    subscription: boolean;
    monthlyLimit: number | null;
    merchantDescriptor: string;
  };
  jobStatus: Status;
  /** The job's money was settled or compensated. */
  moneyClosed: boolean;
  request: { amount: number; currency: string; merchantName: string };
  policy: { allowRecurring: boolean; monthlyCap: number };
  /** Recurring charges approved on this card since the start of the month. */
  cardMonthToDate: number;
  /** Net charged to the card on file this month (ledger). */
  accountMonthToDate: number;
}

export interface Decision {
  approved: boolean;
  reason: DecisionReason;
  /** The authorization is a recurring charge on a kept subscription card. */
  recurring: boolean;
}

/**
 * The one real-time spend decision, for the local card network and Stripe's issuing_authorization.request
 * alike. Pure: the caller loads the facts and applies the result.
 */
export function decide(input: DecisionInput): Decision {
  const { card, request } = input;
  const decline = (reason: DecisionReason, recurring = false): Decision => ({
    approved: false,
    reason,
    recurring,
  });
  if (card.status !== "active") return decline("card_not_active");
  if (!Number.isInteger(request.amount) || request.amount <= 0) return decline("invalid_amount");
  if (request.currency.toLowerCase() !== card.currency.toLowerCase()) return decline("currency_mismatch");
  if (!new RegExp(card.merchantDescriptor, "i").test(request.merchantName))
    return decline("merchant_mismatch");
  if (input.jobStatus === "provisioning" && !input.moneyClosed) {
    if (card.held + request.amount > card.limit) return decline("over_limit");
    return { approved: true, reason: "within_job_limit", recurring: false };
  }
  if (card.subscription && input.moneyClosed && card.monthlyLimit !== null) {
    if (!input.policy.allowRecurring) return decline("recurring_not_allowed", true);
    if (input.cardMonthToDate + request.amount > card.monthlyLimit)
      return decline("over_monthly_limit", true);
    if (input.accountMonthToDate + request.amount > input.policy.monthlyCap)
      return decline("over_monthly_cap", true);
    return { approved: true, reason: "recurring_within_limits", recurring: true };
  }
  return decline("job_not_active");
}
