import type Stripe from "stripe";
import { Actor } from "../actor/index.ts";
import { PaymentProfileEntity } from "../payment/payment-profile.entity.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { Store } from "../store/index.ts";
import { VisibleError } from "../util/error.ts";
import { Id } from "../util/id.ts";
import { CardEntity } from "./card.entity.ts";
import { CardIssueEntity } from "./card-issue.entity.ts";
import type {
  CardDetails,
  CardInfo,
  CardIssuerPort,
  CardTransaction,
  IssueInput,
  IssuerOptions,
} from "./issuer.ts";
import { expiryOf } from "./issuer.ts";
import { type CardItem, toCardInfo } from "./to-info.ts";

export interface StripeIssuerOptions {
  /** Issuing requires a billing address on the cardholder. */
  billing?: Stripe.Issuing.CardholderCreateParams.Billing;
  cardholderName?: string;
}

const DEFAULT_CARDHOLDER = "fg provisioning";

const DEFAULT_BILLING: Stripe.Issuing.CardholderCreateParams.Billing = {
  address: {
    line1: "1 Market Street",
    city: "San Francisco",
    state: "CA",
    postal_code: "94105",
    country: "US",
  },
};

/**
 * Stripe Issuing: one cardholder per account, one virtual card per job with `spending_controls` (the job's
 * limit for all time; a monthly limit once a subscription card is kept). Number and CVC are fetched with
 * `expand` only to hand them to the vault.
 */
export class StripeCardIssuer implements CardIssuerPort {
  readonly provider = "stripe" as const;

  constructor(
    private readonly stripe: Stripe,
    private readonly options: StripeIssuerOptions = {},
  ) {}

  async issue(input: IssueInput): Promise<{ card: CardInfo; details: CardDetails }> {
    const accountId = Actor.accountId();
    const cardholder = await this.cardholder();
    const created = await this.stripe.issuing.cards.create(
      {
        cardholder,
        currency: input.currency,
        type: "virtual",
        status: "active",
        spending_controls: { spending_limits: [{ amount: input.limit, interval: "all_time" }] },
        metadata: { fg_account: accountId, fg_job: input.jobId },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    const full = await this.stripe.issuing.cards.retrieve(created.id, { expand: ["number", "cvc"] });
    const card = await this.register(input, full);
    return {
      card,
      details: {
        number: full.number ?? "",
        cvc: full.cvc ?? "",
        expiry: expiryOf({ expMonth: full.exp_month, expYear: full.exp_year }),
        name:
          typeof full.cardholder === "string"
            ? (this.options.cardholderName ?? DEFAULT_CARDHOLDER)
            : full.cardholder.name,
      },
    };
  }

  async freeze(cardId: string, options: IssuerOptions = {}): Promise<CardInfo> {
    return this.update(cardId, { status: "inactive" }, options, { status: "inactive" });
  }

  async cancel(cardId: string, options: IssuerOptions = {}): Promise<CardInfo> {
    const card = await this.load(cardId);
    if (card.status === "canceled") return card;
    return this.update(cardId, { status: "canceled" }, options, { status: "canceled" });
  }

  async setMonthlyLimit(cardId: string, amount: number, options: IssuerOptions = {}): Promise<CardInfo> {
    return this.update(
      cardId,
      { spending_controls: { spending_limits: [{ amount, interval: "monthly" }] } },
      options,
      { monthlyLimit: amount },
    );
  }

  async transactions(cardId: string): Promise<CardTransaction[]> {
    const card = await this.load(cardId);
    const list = await this.stripe.issuing.transactions.list({ card: card.providerCardId, limit: 100 });
    return list.data.map((t) => ({
      id: t.id,
      type: t.type === "refund" ? "refund" : "capture",
      amount: Math.abs(t.amount),
      currency: t.currency,
      merchantName: t.merchant_data.name ?? "",
      authorizationId: typeof t.authorization === "string" ? t.authorization : (t.authorization?.id ?? null),
      createdAt: new Date(t.created * 1000).toISOString(),
    }));
  }

  private async update(
    cardId: string,
    params: Stripe.Issuing.CardUpdateParams,
    options: IssuerOptions,
    local: { status?: CardInfo["status"]; monthlyLimit?: number },
  ): Promise<CardInfo> {
    const accountId = Actor.accountId();
    const card = await this.load(cardId);
    await this.stripe.issuing.cards.update(
      card.providerCardId,
      params,
      options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
    );
    const updated = await CardEntity.patch({ accountId, id: cardId }).set(local).go({ response: "all_new" });
    return toCardInfo(updated.data as CardItem);
  }

  private async register(input: IssueInput, stripeCard: Stripe.Issuing.Card): Promise<CardInfo> {
    const accountId = Actor.accountId();
    const marker = await CardIssueEntity.get({ accountId, key: input.idempotencyKey }).go({
      consistent: true,
    });
    if (marker.data) return this.load(marker.data.cardId);
    const id = Id.create("card");
    const result = await Store.fg.transaction
      .write(({ cardIssue, card }) => [
        cardIssue.create({ accountId, key: input.idempotencyKey, cardId: id }).commit(),
        card
          .create({
            accountId,
            id,
            provider: "stripe",
            providerCardId: stripeCard.id,
            jobId: input.jobId,
            vendor: input.vendor,
            status: "active",
            currency: input.currency,
            limit: input.limit,
            subscription: input.subscription,
            merchantDescriptor: input.merchantDescriptor,
            last4: stripeCard.last4,
            expMonth: stripeCard.exp_month,
            expYear: stripeCard.exp_year,
          })
          .commit(),
      ])
      .go();
    if (result.canceled) {
      const winner = await CardIssueEntity.get({ accountId, key: input.idempotencyKey }).go({
        consistent: true,
      });
      if (winner.data) return this.load(winner.data.cardId);
      throw new VisibleError("conflict", "card.issue_conflict", "The card could not be recorded; retry");
    }
    return this.load(id);
  }

  private async cardholder(): Promise<string> {
    const accountId = Actor.accountId();
    const profile = await PaymentProfileEntity.get({ accountId }).go({ consistent: true });
    if (profile.data?.cardholderId) return profile.data.cardholderId;
    const created = await this.stripe.issuing.cardholders.create(
      {
        type: "individual",
        name: this.options.cardholderName ?? DEFAULT_CARDHOLDER,
        billing: this.options.billing ?? DEFAULT_BILLING,
        metadata: { fg_account: accountId },
      },
      { idempotencyKey: `fg:${accountId}:cardholder` },
    );
    try {
      await PaymentProfileEntity.upsert({ accountId, cardholderId: created.id }).go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    return created.id;
  }

  private async load(cardId: string): Promise<CardInfo> {
    const accountId = Actor.accountId();
    const found = await CardEntity.get({ accountId, id: cardId }).go({ consistent: true });
    if (found.data?.provider !== "stripe") {
      throw new VisibleError("not_found", "card.not_found", `Card ${cardId} not found`);
    }
    return toCardInfo(found.data);
  }
}
