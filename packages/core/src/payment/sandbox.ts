import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { Store } from "../store/index.ts";
import { VisibleError } from "../util/error.ts";
import { Id } from "../util/id.ts";
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
import { SandboxPaymentEntity } from "./sandbox-payment.entity.ts";
import { SandboxPaymentMethodEntity } from "./sandbox-payment-method.entity.ts";

/** Stripe's test tokens and how each behaves when charged. */
export const SandboxTestMethods: Record<
  string,
  { brand: string; last4: string; decline?: { code: string; message: string } }
> = {
  pm_card_visa: { brand: "visa", last4: "4242" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444" },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    decline: { code: "card_declined", message: "The card on file was declined" },
  },
  pm_card_insufficientFunds: {
    brand: "visa",
    last4: "9995",
    decline: { code: "insufficient_funds", message: "The card on file has insufficient funds" },
  },
};

type PaymentItem = NonNullable<
  Awaited<ReturnType<ReturnType<typeof SandboxPaymentEntity.get>["go"]>>["data"]
>;

/** The local payment rail: card-on-file state and money movements live in the table, keyed for idempotency. */
export class SandboxPaymentRail implements PaymentRailPort {
  readonly provider = "sandbox" as const;

  async createSetup(input: { paymentMethod?: string } = {}): Promise<Setup> {
    const accountId = Actor.accountId();
    const id = Id.create("setupIntent");
    if (!input.paymentMethod)
      return { id, status: "requires_payment_method", clientSecret: null, paymentMethodId: null };
    const test = SandboxTestMethods[input.paymentMethod];
    if (!test) {
      throw new VisibleError(
        "input",
        "payment.unknown_test_method",
        `The sandbox knows these test cards: ${Object.keys(SandboxTestMethods).join(", ")}`,
      );
    }
    const now = new Date();
    const method = await SandboxPaymentMethodEntity.create({
      accountId,
      id: Id.create("paymentMethod"),
      token: input.paymentMethod,
      brand: test.brand,
      last4: test.last4,
      expMonth: 12,
      expYear: now.getUTCFullYear() + 3,
    }).go();
    const profile = await PaymentProfileEntity.get({ accountId }).go({ consistent: true });
    if (!profile.data?.defaultPaymentMethod) await this.setDefault(method.data.id);
    return { id, status: "succeeded", clientSecret: null, paymentMethodId: method.data.id };
  }

  async listMethods(): Promise<PaymentMethod[]> {
    const accountId = Actor.accountId();
    const [methods, profile] = await Promise.all([
      SandboxPaymentMethodEntity.query.byAccount({ accountId }).go({ pages: "all" }),
      PaymentProfileEntity.get({ accountId }).go({ consistent: true }),
    ]);
    return methods.data.map((m) => ({
      id: m.id,
      brand: m.brand,
      last4: m.last4,
      expMonth: m.expMonth,
      expYear: m.expYear,
      isDefault: m.id === profile.data?.defaultPaymentMethod,
    }));
  }

  async setDefault(paymentMethodId: string): Promise<void> {
    const accountId = Actor.accountId();
    const method = await SandboxPaymentMethodEntity.get({ accountId, id: paymentMethodId }).go();
    if (!method.data)
      throw new VisibleError("not_found", "payment.method_not_found", "Payment method not found");
    await PaymentProfileEntity.upsert({ accountId, defaultPaymentMethod: paymentMethodId }).go();
  }

  async charge(input: ChargeInput): Promise<Charge> {
    const accountId = Actor.accountId();
    const existing = await this.byKey(input.idempotencyKey);
    if (existing) return this.replay(existing, input.amount, input.currency);
    const profile = await PaymentProfileEntity.get({ accountId }).go({ consistent: true });
    const methodId = profile.data?.defaultPaymentMethod;
    const method = methodId
      ? (await SandboxPaymentMethodEntity.get({ accountId, id: methodId }).go()).data
      : undefined;
    if (!method) {
      throw new VisibleError(
        "payment",
        "payment.no_method",
        "There is no card on file: add one with `fg cards add`",
      );
    }
    const decline = SandboxTestMethods[method.token]?.decline;
    try {
      const created = await SandboxPaymentEntity.create({
        accountId,
        key: input.idempotencyKey,
        id: Id.create("charge"),
        type: "charge",
        paymentMethodId: method.id,
        amount: input.amount,
        currency: input.currency,
        status: decline ? "failed" : "succeeded",
        failureCode: decline?.code,
        failureMessage: decline?.message,
        metadata: input.metadata ?? {},
      }).go();
      return toCharge(created.data);
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const winner = await this.byKey(input.idempotencyKey);
      if (!winner) throw error;
      return this.replay(winner, input.amount, input.currency);
    }
  }

  async findCharge(idempotencyKey: string): Promise<Charge | null> {
    const found = await this.byKey(idempotencyKey);
    return found && found.type === "charge" ? toCharge(found) : null;
  }

  async refund(input: RefundInput): Promise<Refund> {
    const accountId = Actor.accountId();
    const existing = await this.byKey(input.idempotencyKey);
    if (existing) {
      this.assertSame(existing, input.amount);
      return toRefund(existing);
    }
    const charge = (await SandboxPaymentEntity.query.byId({ accountId, id: input.chargeId }).go()).data[0];
    if (charge?.type !== "charge" || charge.status !== "succeeded") {
      throw new VisibleError(
        "not_found",
        "payment.charge_not_found",
        `No successful charge ${input.chargeId}`,
      );
    }
    const id = Id.create("refund");
    const result = await Store.fg.transaction
      .write(({ sandboxPayment }) => [
        sandboxPayment
          .create({
            accountId,
            key: input.idempotencyKey,
            id,
            type: "refund",
            chargeId: charge.id,
            amount: input.amount,
            currency: charge.currency,
            status: "succeeded",
            metadata: input.metadata ?? {},
          })
          .commit(),
        sandboxPayment
          .patch({ accountId, key: charge.key })
          .add({ refunded: input.amount })
          .where((a, op) => op.lte(a.refunded, charge.amount - input.amount))
          .commit(),
      ])
      .go();
    if (result.canceled) {
      const winner = await this.byKey(input.idempotencyKey);
      if (winner) {
        this.assertSame(winner, input.amount);
        return toRefund(winner);
      }
      throw new VisibleError(
        "payment",
        "payment.refund_exceeds_charge",
        `A refund of ${input.amount} exceeds what is left of charge ${charge.id}`,
      );
    }
    return { id, chargeId: charge.id, amount: input.amount, currency: charge.currency, status: "succeeded" };
  }

  private async byKey(key: string): Promise<PaymentItem | undefined> {
    const accountId = Actor.accountId();
    return (await SandboxPaymentEntity.get({ accountId, key }).go({ consistent: true })).data ?? undefined;
  }

  private replay(item: PaymentItem, amount: number, currency: string): Charge {
    this.assertSame(item, amount, currency);
    return toCharge(item);
  }

  private assertSame(item: PaymentItem, amount: number, currency?: string): void {
    if (item.amount !== amount || (currency !== undefined && item.currency !== currency)) {
      throw new VisibleError(
        "conflict",
        "payment.idempotency_mismatch",
        "This idempotency key was already used with different parameters",
      );
    }
  }
}

function toCharge(item: PaymentItem): Charge {
  return {
    id: item.id,
    amount: item.amount,
    currency: item.currency,
    status: item.status,
    failureCode: item.failureCode ?? null,
    failureMessage: item.failureMessage ?? null,
  };
}

function toRefund(item: PaymentItem): Refund {
  return {
    id: item.id,
    chargeId: item.chargeId ?? "",
    amount: item.amount,
    currency: item.currency,
    status: item.status,
  };
}
