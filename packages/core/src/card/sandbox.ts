import { Actor } from "../actor/index.ts";
import { Store } from "../store/index.ts";
import { VisibleError } from "../util/error.ts";
import { Id } from "../util/id.ts";
import { CardEntity } from "./card.entity.ts";
import { CardIssueEntity } from "./card-issue.entity.ts";
import { CardTransactionEntity } from "./card-transaction.entity.ts";
import {
  type CardDetails,
  type CardInfo,
  type CardIssuerPort,
  type CardTransaction,
  expiryOf,
  type IssueInput,
} from "./issuer.ts";
import { numberDigest, sandboxCvc, sandboxNumber } from "./sandbox-numbers.ts";
import { type CardItem, toCardInfo as toInfo } from "./to-info.ts";

export const SANDBOX_CARDHOLDER = "FG VIRTUAL CARD";

/** The local issuer: cards in the table, numbers derived from a local key, the local card network decides. */
export class SandboxCardIssuer implements CardIssuerPort {
  readonly provider = "sandbox" as const;

  async issue(input: IssueInput): Promise<{ card: CardInfo; details: CardDetails }> {
    const accountId = Actor.accountId();
    const previous = await this.issued(input.idempotencyKey);
    if (previous) return previous;
    const id = Id.create("card");
    const now = new Date();
    const number = sandboxNumber(id);
    const result = await Store.fg.transaction
      .write(({ cardIssue, card, sandboxCardNumber }) => [
        cardIssue.create({ accountId, key: input.idempotencyKey, cardId: id }).commit(),
        card
          .create({
            accountId,
            id,
            provider: "sandbox",
            providerCardId: id,
            jobId: input.jobId,
            vendor: input.vendor,
            status: "active",
            currency: input.currency,
            limit: input.limit,
            subscription: input.subscription,
            merchantDescriptor: input.merchantDescriptor,
            last4: number.slice(-4),
            expMonth: now.getUTCMonth() + 1,
            expYear: now.getUTCFullYear() + 3,
          })
          .commit(),
        sandboxCardNumber.create({ digest: numberDigest(number), accountId, cardId: id }).commit(),
      ])
      .go();
    if (result.canceled) {
      const winner = await this.issued(input.idempotencyKey);
      if (winner) return winner;
      throw new VisibleError("conflict", "card.issue_conflict", "The card could not be issued; retry");
    }
    const card = await this.load(id);
    return { card, details: detailsOf(card) };
  }

  async freeze(cardId: string): Promise<CardInfo> {
    return this.setStatus(cardId, "inactive");
  }

  async cancel(cardId: string): Promise<CardInfo> {
    return this.setStatus(cardId, "canceled");
  }

  async setMonthlyLimit(cardId: string, amount: number): Promise<CardInfo> {
    const accountId = Actor.accountId();
    await this.load(cardId);
    const updated = await CardEntity.patch({ accountId, id: cardId })
      .set({ monthlyLimit: amount })
      .go({ response: "all_new" });
    return toInfo(updated.data as CardItem);
  }

  async transactions(cardId: string): Promise<CardTransaction[]> {
    const accountId = Actor.accountId();
    await this.load(cardId);
    const found = await CardTransactionEntity.query.byCard({ accountId, cardId }).go({ pages: "all" });
    return found.data.map((t) => ({
      id: t.id,
      type: t.type,
      amount: t.amount,
      currency: t.currency,
      merchantName: t.merchantName,
      authorizationId: t.authorizationId ?? null,
      createdAt: t.createdAt,
    }));
  }

  private async setStatus(cardId: string, status: "inactive" | "canceled"): Promise<CardInfo> {
    const accountId = Actor.accountId();
    const card = await this.load(cardId);
    if (card.status === "canceled" || card.status === status) return card;
    const updated = await CardEntity.patch({ accountId, id: cardId })
      .set({ status })
      .where((a, op) => op.ne(a.status, "canceled"))
      .go({ response: "all_new" })
      .catch(async (error: unknown) => {
        const now = await this.load(cardId);
        if (now.status === "canceled") return { data: undefined };
        throw error;
      });
    return updated.data ? toInfo(updated.data as CardItem) : this.load(cardId);
  }

  private async issued(key: string): Promise<{ card: CardInfo; details: CardDetails } | undefined> {
    const accountId = Actor.accountId();
    const marker = await CardIssueEntity.get({ accountId, key }).go({ consistent: true });
    if (!marker.data) return undefined;
    const card = await this.load(marker.data.cardId);
    return { card, details: detailsOf(card) };
  }

  private async load(cardId: string): Promise<CardInfo> {
    const accountId = Actor.accountId();
    const found = await CardEntity.get({ accountId, id: cardId }).go({ consistent: true });
    if (found.data?.provider !== "sandbox") {
      throw new VisibleError("not_found", "card.not_found", `Card ${cardId} not found`);
    }
    return toInfo(found.data);
  }
}

function detailsOf(card: CardInfo): CardDetails {
  return {
    number: sandboxNumber(card.id),
    expiry: expiryOf(card),
    cvc: sandboxCvc(card.id),
    name: SANDBOX_CARDHOLDER,
  };
}
