import type Stripe from "stripe";
import { Actor } from "../actor/index.ts";
import { VisibleError } from "../util/error.ts";
import { PaymentProfileEntity } from "./payment-profile.entity.ts";
import type {
  Charge,
  ChargeInput,
  PaymentMethod,
  PaymentRailPort,
  Refund,
  RefundInput,
  Setup,
} from "./rail.ts";

/** Card on file with Stripe: a Customer per account, SetupIntents, off-session PaymentIntents, Refunds. */
export class StripePaymentRail implements PaymentRailPort {
  readonly provider = "stripe" as const;

  constructor(private readonly stripe: Stripe) {}

  async createSetup(input: { paymentMethod?: string } = {}): Promise<Setup> {
    const customer = await this.customer();
    const intent = await this.stripe.setupIntents.create({
      customer,
      usage: "off_session",
      allowed_payment_method_types: ["card"],
      metadata: { fg_account: Actor.accountId() },
      ...(input.paymentMethod ? { payment_method: input.paymentMethod, confirm: true } : {}),
    });
    const paymentMethodId =
      typeof intent.payment_method === "string" ? intent.payment_method : (intent.payment_method?.id ?? null);
    if (intent.status === "succeeded" && paymentMethodId) {
      const profile = await PaymentProfileEntity.get({ accountId: Actor.accountId() }).go({
        consistent: true,
      });
      if (!profile.data?.defaultPaymentMethod) await this.setDefault(paymentMethodId);
    }
    return { id: intent.id, status: intent.status, clientSecret: intent.client_secret, paymentMethodId };
  }

  async listMethods(): Promise<PaymentMethod[]> {
    const customer = await this.customer();
    const profile = await PaymentProfileEntity.get({ accountId: Actor.accountId() }).go({ consistent: true });
    const methods = await this.stripe.paymentMethods.list({ customer, type: "card" });
    return methods.data.map((m) => ({
      id: m.id,
      brand: m.card?.brand ?? "unknown",
      last4: m.card?.last4 ?? "0000",
      expMonth: m.card?.exp_month ?? 0,
      expYear: m.card?.exp_year ?? 0,
      isDefault: m.id === profile.data?.defaultPaymentMethod,
    }));
  }

  async setDefault(paymentMethodId: string): Promise<void> {
    const customer = await this.customer();
    await this.stripe.customers.update(customer, {
      invoice_settings: { default_payment_method: paymentMethodId },
    });
    await PaymentProfileEntity.upsert({
      accountId: Actor.accountId(),
      defaultPaymentMethod: paymentMethodId,
    }).go();
  }

  async charge(input: ChargeInput): Promise<Charge> {
    const customer = await this.customer();
    const profile = await PaymentProfileEntity.get({ accountId: Actor.accountId() }).go({ consistent: true });
    const paymentMethod = profile.data?.defaultPaymentMethod;
    if (!paymentMethod) {
      throw new VisibleError(
        "payment",
        "payment.no_method",
        "There is no card on file: add one with `fg cards add`",
      );
    }
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency,
          customer,
          payment_method: paymentMethod,
          off_session: true,
          confirm: true,
          ...(input.description ? { description: input.description } : {}),
          metadata: { ...input.metadata, fg_key: input.idempotencyKey },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return toCharge(intent);
    } catch (error) {
      const card = error as {
        type?: string;
        code?: string;
        decline_code?: string;
        payment_intent?: { id: string };
      };
      if (card.type !== "StripeCardError") throw error;
      const code = card.decline_code ?? card.code ?? "card_declined";
      return {
        id: card.payment_intent?.id ?? `declined:${input.idempotencyKey}`,
        amount: input.amount,
        currency: input.currency,
        status: "failed",
        failureCode: code,
        failureMessage: `The card on file was declined (${code})`,
      };
    }
  }

  async findCharge(idempotencyKey: string): Promise<Charge | null> {
    const found = await this.stripe.paymentIntents.search({
      query: `metadata['fg_key']:'${idempotencyKey.replace(/'/g, "")}'`,
      limit: 1,
    });
    const intent = found.data[0];
    return intent ? toCharge(intent) : null;
  }

  async refund(input: RefundInput): Promise<Refund> {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: input.chargeId,
        amount: input.amount,
        metadata: { ...input.metadata, fg_key: input.idempotencyKey },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return {
      id: refund.id,
      chargeId: input.chargeId,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status ?? "pending",
    };
  }

  private async customer(): Promise<string> {
    const accountId = Actor.accountId();
    const profile = await PaymentProfileEntity.get({ accountId }).go({ consistent: true });
    if (profile.data?.customerId) return profile.data.customerId;
    const customer = await this.stripe.customers.create(
      { metadata: { fg_account: accountId } },
      { idempotencyKey: `fg:${accountId}:customer` },
    );
    await PaymentProfileEntity.upsert({ accountId, customerId: customer.id }).go();
    return customer.id;
  }
}

function toCharge(intent: Stripe.PaymentIntent): Charge {
  const succeeded = intent.status === "succeeded";
  return {
    id: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    status: succeeded ? "succeeded" : "failed",
    failureCode: succeeded ? null : (intent.last_payment_error?.decline_code ?? intent.status),
    failureMessage: succeeded ? null : `The payment did not succeed (${intent.status})`,
  };
}
