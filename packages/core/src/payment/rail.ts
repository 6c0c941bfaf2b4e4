import { z } from "zod";

export const Currency = z.enum(["usd", "eur", "gbp"]);

export const PaymentMethod = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string().length(4),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  isDefault: z.boolean(),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const Setup = z.object({
  id: z.string(),
  status: z.string(),
  /** For a browser to finish the setup (Stripe.js); null in the sandbox. */
  clientSecret: z.string().nullable(),
  paymentMethodId: z.string().nullable(),
});
export type Setup = z.infer<typeof Setup>;

export const Charge = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(["succeeded", "failed"]),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
});
export type Charge = z.infer<typeof Charge>;

export const Refund = z.object({
  id: z.string(),
  chargeId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
});
export type Refund = z.infer<typeof Refund>;

export interface ChargeInput {
  amount: number;
  currency: string;
  idempotencyKey: string;
  description?: string;
  metadata?: Record<string, string>;
}

export interface RefundInput {
  chargeId: string;
  amount: number;
  idempotencyKey: string;
  metadata?: Record<string, string>;
}

/** The user's card on file, scoped to `Actor.accountId()`. Every money movement carries an idempotency key. */
export interface PaymentRailPort {
  readonly provider: "sandbox" | "stripe";
  /** Starts saving a card; with a test token (pm_card_visa, …) the card is attached at once. */
  createSetup(input?: { paymentMethod?: string }): Promise<Setup>;
  listMethods(): Promise<PaymentMethod[]>;
  setDefault(paymentMethodId: string): Promise<void>;
  /** Charges the default method off-session. A decline is a `failed` charge, not an exception. */
  charge(input: ChargeInput): Promise<Charge>;
  /** The charge an earlier call made with this key, if it reached the rail. */
  findCharge(idempotencyKey: string): Promise<Charge | null>;
  refund(input: RefundInput): Promise<Refund>;
}
