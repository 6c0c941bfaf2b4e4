import { z } from "zod";

export const Provider = z.enum(["sandbox", "stripe"]);
export type Provider = z.infer<typeof Provider>;

export const CardInfo = z.object({
  id: z.string(),
  provider: Provider,
  providerCardId: z.string(),
  jobId: z.string(),
  vendor: z.string(),
  status: z.enum(["active", "inactive", "canceled"]),
  currency: z.string(),
  limit: z.number().int(),
  held: z.number().int(),
  monthlyLimit: z.number().int().nullable(),
  subscription: z.boolean(),
  merchantDescriptor: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  createdAt: z.string(),
});
export type CardInfo = z.infer<typeof CardInfo>;

/** What a checkout needs. Goes to the vault and nowhere else. */
export interface CardDetails {
  number: string;
  /** MM/YY */
  expiry: string;
  cvc: string;
  name: string;
}

export interface IssueInput {
  jobId: string;
  vendor: string;
  limit: number;
  currency: string;
  subscription: boolean;
  merchantDescriptor: string;
  idempotencyKey: string;
}

export const CardTransaction = z.object({
  id: z.string(),
  type: z.enum(["capture", "refund"]),
  amount: z.number().int(),
  currency: z.string(),
  merchantName: z.string(),
  authorizationId: z.string().nullable(),
  createdAt: z.string(),
});
export type CardTransaction = z.infer<typeof CardTransaction>;

export interface IssuerOptions {
  idempotencyKey?: string;
}

/** Virtual cards, scoped to `Actor.accountId()`; cards are addressed by fg's card id. */
export interface CardIssuerPort {
  readonly provider: Provider;
  /** Issues (or, for a repeated key, returns) the job's card; the caller puts `details` in the vault. */
  issue(input: IssueInput): Promise<{ card: CardInfo; details: CardDetails }>;
  freeze(cardId: string, options?: IssuerOptions): Promise<CardInfo>;
  cancel(cardId: string, options?: IssuerOptions): Promise<CardInfo>;
  setMonthlyLimit(cardId: string, amount: number, options?: IssuerOptions): Promise<CardInfo>;
  transactions(cardId: string): Promise<CardTransaction[]>;
}

export function expiryOf(card: { expMonth: number; expYear: number }): string {
  return `${String(card.expMonth).padStart(2, "0")}/${String(card.expYear % 100).padStart(2, "0")}`;
}
