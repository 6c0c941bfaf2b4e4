import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Money } from "../money/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { CardEntity } from "./card.entity.ts";
import { CardAuthorizationEntity } from "./card-authorization.entity.ts";
import { CardTransactionEntity } from "./card-transaction.entity.ts";
import { Card } from "./index.ts";
import { expiryOf } from "./issuer.ts";
import { SandboxCardNumberEntity } from "./sandbox-card-number.entity.ts";
import { numberDigest, sandboxCvc } from "./sandbox-numbers.ts";

/**
 * The local card network behind the sandbox issuer. Checkouts send card details here; each authorization is
 * turned into the same `issuing.authorization` object Stripe sends and decided by `Card.authorize`, the code
 * Stripe's `issuing_authorization.request` webhook runs. Card details are compared, never stored or echoed.
 */
export namespace CardNetwork {
  export const AuthorizeInput = z
    .object({
      card: z
        .object({
          number: z.string().min(1).max(40),
          expiry: z.string().min(1).max(10),
          cvc: z.string().min(1).max(8),
          name: z.string().max(200).default(""),
        })
        .strict(),
      merchant: z.object({ name: z.string().min(1).max(200) }).strict(),
      amount: z.number().int().positive().max(10_000_000),
      currency: z.string().length(3),
    })
    .strict();

  export interface AuthorizeResult {
    approved: boolean;
    authorizationId?: string;
    reason?: string;
  }

  export const authorize = fn(AuthorizeInput, async (input): Promise<AuthorizeResult> => {
    const number = input.card.number.replace(/[\s-]/g, "");
    const link = await SandboxCardNumberEntity.get({ digest: numberDigest(number) }).go();
    if (!link.data) return { approved: false, reason: "unknown_card" };
    const { accountId, cardId } = link.data;
    const card = await CardEntity.get({ accountId, id: cardId }).go({ consistent: true });
    if (!card.data) return { approved: false, reason: "unknown_card" };
    const currency = input.currency.toLowerCase();
    const request: Card.AuthorizationRequest = {
      id: Id.create("cardAuthorization"),
      object: "issuing.authorization",
      amount: 0,
      currency,
      approved: false,
      status: "pending",
      card: { id: card.data.providerCardId, object: "issuing.card", last4: card.data.last4 },
      merchant_data: { name: input.merchant.name, category: "computer_software_stores" },
      pending_request: {
        amount: input.amount,
        currency,
        merchant_amount: input.amount,
        merchant_currency: currency,
        is_amount_controllable: false,
      },
      verification_data: {
        cvc_check: input.card.cvc.trim() === sandboxCvc(cardId) ? "match" : "mismatch",
        expiry_check: normalizeExpiry(input.card.expiry) === expiryOf(card.data) ? "match" : "mismatch",
      },
    };
    const decision = await Card.authorize({ provider: "sandbox", authorization: request });
    return {
      approved: decision.approved,
      authorizationId: decision.authorizationId,
      ...(decision.approved ? {} : { reason: decision.reason }),
    };
  });

  export const capture = fn(
    z.object({ authorizationId: z.string().min(1).max(100), amount: z.number().int().positive() }).strict(),
    async ({ authorizationId, amount }): Promise<{ captured: boolean; transactionId: string }> => {
      const found = await CardAuthorizationEntity.query.byId({ id: authorizationId }).go({ limit: 1 });
      const auth = found.data[0];
      if (!auth?.approved) {
        throw new VisibleError(
          "not_found",
          "network.authorization_not_found",
          "No approved authorization with that id",
        );
      }
      if (amount > auth.amount) {
        throw new VisibleError("input", "network.over_capture", "A capture cannot exceed its authorization");
      }
      return Actor.system("card network capture", auth.accountId, async () => {
        try {
          await CardAuthorizationEntity.patch({ accountId: auth.accountId, cardId: auth.cardId, id: auth.id })
            .set({ status: "closed" })
            .where((a, op) => op.eq(a.status, "pending"))
            .go();
        } catch (error) {
          if (!isConditionalFailure(error)) throw error;
          throw new VisibleError(
            "conflict",
            "network.already_captured",
            "This authorization was already captured",
          );
        }
        const card = await Card.get({ id: auth.cardId });
        const transactionId = Id.create("cardTransaction");
        await Money.cardTransaction({
          provider: "sandbox",
          transaction: {
            id: transactionId,
            object: "issuing.transaction",
            type: "capture",
            amount: -amount,
            currency: auth.currency,
            card: card.providerCardId,
            authorization: auth.id,
            merchant_data: { name: auth.merchantName },
          },
        });
        return { captured: true, transactionId };
      });
    },
  );

  export const refund = fn(
    z.object({ transactionId: z.string().min(1).max(100), amount: z.number().int().positive() }).strict(),
    async ({ transactionId, amount }): Promise<{ refunded: boolean; transactionId: string }> => {
      const found = await CardTransactionEntity.query.byId({ id: transactionId }).go({ limit: 1 });
      const original = found.data[0];
      if (original?.type !== "capture") {
        throw new VisibleError("not_found", "network.transaction_not_found", "No capture with that id");
      }
      return Actor.system("card network refund", original.accountId, async () => {
        try {
          await CardTransactionEntity.patch({
            accountId: original.accountId,
            cardId: original.cardId,
            id: original.id,
          })
            .add({ refunded: amount })
            .where((a, op) => op.lte(a.refunded, original.amount - amount))
            .go();
        } catch (error) {
          if (!isConditionalFailure(error)) throw error;
          throw new VisibleError("input", "network.over_refund", "A refund cannot exceed what was captured");
        }
        const card = await Card.get({ id: original.cardId });
        const refundId = Id.create("cardTransaction");
        await Money.cardTransaction({
          provider: "sandbox",
          transaction: {
            id: refundId,
            object: "issuing.transaction",
            type: "refund",
            amount,
            currency: original.currency,
            card: card.providerCardId,
            authorization: original.authorizationId ?? null,
            merchant_data: { name: original.merchantName },
          },
        });
        return { refunded: true, transactionId: refundId };
      });
    },
  );

  function normalizeExpiry(value: string): string {
    const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
    if (!match) return "";
    return `${match[1]!.padStart(2, "0")}/${match[2]!.slice(-2)}`;
  }
}
