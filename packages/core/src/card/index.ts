import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { JobEntity } from "../job/job.entity.ts";
import type { Status } from "../job/status.ts";
import { JobEvent } from "../job-event/index.ts";
import { Ledger } from "../ledger/index.ts";
import { JobMoneyEntity } from "../money/job-money.entity.ts";
import { Policy } from "../policy/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { CardEntity } from "./card.entity.ts";
import { CardAuthorizationEntity } from "./card-authorization.entity.ts";
import { CardTransactionEntity } from "./card-transaction.entity.ts";
import { type Decision, type DecisionReason, decide } from "./decision.ts";
import * as Issuer from "./issuer.ts";
import { SandboxCardIssuer } from "./sandbox.ts";
import { type CardItem, toCardInfo } from "./to-info.ts";

export namespace Card {
  export const Info = Issuer.CardInfo;
  export type Info = Issuer.CardInfo;
  export const Provider = Issuer.Provider;
  export type Provider = Issuer.Provider;
  export type Details = Issuer.CardDetails;
  export const Transaction = Issuer.CardTransaction;
  export type Transaction = Issuer.CardTransaction;

  export const toInfo = toCardInfo;

  export const get = fn(
    z.object({ id: z.string().min(1).max(100) }).strict(),
    async ({ id }): Promise<Info> => {
      const accountId = Actor.accountId();
      const found = await CardEntity.get({ accountId, id }).go({ consistent: true });
      if (!found.data) throw new VisibleError("not_found", "card.not_found", `Card ${id} not found`);
      return toInfo(found.data);
    },
  );

  export const forJob = fn(z.object({ jobId: z.string().min(1).max(100) }).strict(), async ({ jobId }) => {
    const accountId = Actor.accountId();
    const found = await CardEntity.query.byJob({ accountId, jobId }).go({ pages: "all" });
    return found.data.map(toInfo);
  });

  /** Records a card state the issuer reported (adapters call this after the provider accepted the change). */
  export async function markStatus(id: string, status: Info["status"]): Promise<Info> {
    const accountId = Actor.accountId();
    const updated = await CardEntity.patch({ accountId, id }).set({ status }).go({ response: "all_new" });
    return toInfo(updated.data as CardItem);
  }

  export async function markMonthlyLimit(id: string, monthlyLimit: number): Promise<Info> {
    const accountId = Actor.accountId();
    const updated = await CardEntity.patch({ accountId, id })
      .set({ monthlyLimit })
      .go({ response: "all_new" });
    return toInfo(updated.data as CardItem);
  }

  /** Finds a card from the provider's id; issuer traffic arrives before any account is known. */
  export async function byProviderCard(
    provider: Provider,
    providerCardId: string,
  ): Promise<{ accountId: string; card: Info } | undefined> {
    const found = await CardEntity.query.byProviderCard({ provider, providerCardId }).go({ limit: 1 });
    const item = found.data[0] as CardItem | undefined;
    return item ? { accountId: item.accountId, card: toInfo(item) } : undefined;
  }

  /** The shape of Stripe's `issuing.authorization` at `issuing_authorization.request`; the sandbox sends the same. */
  export const AuthorizationRequest = z
    .object({
      id: z.string().min(1).max(100),
      amount: z.number().int(),
      currency: z.string().min(3).max(3),
      card: z.object({ id: z.string().min(1).max(100) }).loose(),
      merchant_data: z.object({ name: z.string().nullable().optional() }).loose(),
      pending_request: z
        .object({ amount: z.number().int(), currency: z.string().min(3).max(3) })
        .loose()
        .nullable()
        .optional(),
      verification_data: z
        .object({
          cvc_check: z.string().optional(),
          expiry_check: z.string().optional(),
        })
        .loose()
        .optional(),
    })
    .loose();
  export type AuthorizationRequest = z.infer<typeof AuthorizationRequest>;

  export type AuthorizationReason = DecisionReason | "unknown_card" | "cvc_mismatch" | "expiry_mismatch";

  export interface AuthorizationResult {
    approved: boolean;
    reason: AuthorizationReason;
    authorizationId: string;
  }

  /**
   * The real-time spend decision: loads the facts, runs `decide`, holds the amount against the card's limit
   * with a conditional write (two concurrent authorizations cannot both fit), records the authorization, and
   * makes the decision a `card.authorization` job event. A repeated request returns the first answer.
   */
  export const authorize = fn(
    z.object({ provider: Provider, authorization: AuthorizationRequest }).strict(),
    async ({ provider, authorization }): Promise<AuthorizationResult> => {
      const found = await byProviderCard(provider, authorization.card.id);
      if (!found) return { approved: false, reason: "unknown_card", authorizationId: authorization.id };
      return Actor.system("card authorization", found.accountId, () =>
        decideAndRecord(found.card, authorization),
      );
    },
  );

  async function decideAndRecord(indexed: Info, request: AuthorizationRequest): Promise<AuthorizationResult> {
    const accountId = Actor.accountId();
    const fresh = await CardEntity.get({ accountId, id: indexed.id }).go({ consistent: true });
    const card = fresh.data ? toInfo(fresh.data) : indexed;
    const previous = await CardAuthorizationEntity.get({ accountId, cardId: card.id, id: request.id }).go({
      consistent: true,
    });
    if (previous.data) {
      return {
        approved: previous.data.approved,
        reason: previous.data.reason as AuthorizationReason,
        authorizationId: request.id,
      };
    }
    const amount = request.pending_request?.amount ?? request.amount;
    const currency = (request.pending_request?.currency ?? request.currency).toLowerCase();
    const merchantName = request.merchant_data.name ?? "";
    const [job, money, policy] = await Promise.all([
      JobEntity.get({ accountId, id: card.jobId }).go({ consistent: true }),
      JobMoneyEntity.get({ accountId, jobId: card.jobId }).go({ consistent: true }),
      Policy.get({}),
    ]);
    const monthStart = startOfMonth();
    const moneyClosed = Boolean(money.data?.closed);
    const recurringPhase = card.subscription && moneyClosed;
    let result: { approved: boolean; reason: AuthorizationReason; recurring: boolean };
    if (request.verification_data?.cvc_check === "mismatch") {
      result = { approved: false, reason: "cvc_mismatch", recurring: false };
    } else if (request.verification_data?.expiry_check === "mismatch") {
      result = { approved: false, reason: "expiry_mismatch", recurring: false };
    } else {
      const decision: Decision = decide({
        card,
        jobStatus: (job.data?.status ?? "failed") as Status,
        moneyClosed,
        request: { amount, currency, merchantName },
        policy,
        cardMonthToDate: recurringPhase ? await approvedSince(card.id, monthStart) : 0,
        accountMonthToDate: recurringPhase ? await Ledger.netChargedSince(monthStart) : 0,
      });
      result = decision;
    }
    let held = 0;
    if (result.approved && !result.recurring) {
      try {
        await CardEntity.patch({ accountId, id: card.id })
          .add({ held: amount })
          .where((a, op) => `${op.lte(a.held, card.limit - amount)} AND ${op.eq(a.status, "active")}`)
          .go();
        held = amount;
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        result = { approved: false, reason: "over_limit", recurring: false };
      }
    }
    try {
      await CardAuthorizationEntity.create({
        accountId,
        id: request.id,
        cardId: card.id,
        jobId: card.jobId,
        amount,
        currency,
        merchantName,
        approved: result.approved,
        reason: result.reason,
        recurring: result.recurring,
        status: result.approved ? "pending" : "closed",
      }).go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      if (held) await CardEntity.patch({ accountId, id: card.id }).subtract({ held }).go();
      return decideAndRecord(card, request);
    }
    await bookAuthorization(card, {
      id: request.id,
      amount,
      currency,
      merchantName,
      approved: result.approved,
      reason: result.reason,
      recurring: result.recurring,
    });
    return { approved: result.approved, reason: result.reason, authorizationId: request.id };
  }

  /**
   * Stripe's final word on an authorization (`issuing_authorization.created`). Usually we decided it already;
   * if Stripe decided alone (its own controls, or our answer timed out) the decision is recorded here.
   */
  export const recordIssuerDecision = fn(
    z
      .object({
        provider: Provider,
        authorization: AuthorizationRequest.extend({ approved: z.boolean() }),
      })
      .strict(),
    async ({ provider, authorization }): Promise<{ recorded: boolean }> => {
      const found = await byProviderCard(provider, authorization.card.id);
      if (!found) return { recorded: false };
      return Actor.system("issuer authorization", found.accountId, async () => {
        const { card } = found;
        const accountId = found.accountId;
        const amount = authorization.pending_request?.amount || authorization.amount;
        const currency = (authorization.pending_request?.currency ?? authorization.currency).toLowerCase();
        const merchantName = authorization.merchant_data.name ?? "";
        try {
          await CardAuthorizationEntity.create({
            accountId,
            id: authorization.id,
            cardId: card.id,
            jobId: card.jobId,
            amount,
            currency,
            merchantName,
            approved: authorization.approved,
            reason: "decided_by_issuer",
            recurring: false,
            status: authorization.approved ? "pending" : "closed",
          }).go();
        } catch (error) {
          if (isConditionalFailure(error)) return { recorded: false };
          throw error;
        }
        if (authorization.approved) {
          await CardEntity.patch({ accountId, id: card.id }).add({ held: amount }).go();
        }
        await bookAuthorization(card, {
          id: authorization.id,
          amount,
          currency,
          merchantName,
          approved: authorization.approved,
          reason: "decided_by_issuer",
          recurring: false,
        });
        return { recorded: true };
      });
    },
  );

  /** An authorization in the ledger (when approved) and on the job's event stream, whoever decided it. */
  async function bookAuthorization(
    card: { id: string; jobId: string; last4: string },
    auth: {
      id: string;
      amount: number;
      currency: string;
      merchantName: string;
      approved: boolean;
      reason: string;
      recurring: boolean;
    },
  ): Promise<void> {
    if (auth.approved) {
      await Ledger.record({
        kind: "authorization",
        jobId: card.jobId,
        amount: auth.amount,
        currency: auth.currency,
        reference: auth.id,
        memo: auth.merchantName.slice(0, 200),
        key: `auth:${auth.id}`,
      });
    }
    await JobEvent.append({
      jobId: card.jobId,
      type: "card.authorization",
      data: {
        authorizationId: auth.id,
        cardId: card.id,
        last4: card.last4,
        merchant: auth.merchantName,
        amount: auth.amount,
        currency: auth.currency,
        approved: auth.approved,
        reason: auth.reason,
        recurring: auth.recurring,
      },
    });
  }

  /** Recurring spend on the card this month; the purchase made during the job does not count against it. */
  async function approvedSince(cardId: string, since: Date): Promise<number> {
    const accountId = Actor.accountId();
    const found = await CardAuthorizationEntity.query.byCard({ accountId, cardId }).go({ pages: "all" });
    const iso = since.toISOString();
    return found.data
      .filter((a) => a.approved && a.recurring && a.status !== "reversed" && a.createdAt >= iso)
      .reduce((sum, a) => sum + (a.capturedAmount || a.amount), 0);
  }

  function startOfMonth(now = new Date()): Date {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  }

  /** Stripe's `issuing.transaction`: captures carry a negative amount, refunds a positive one. */
  export const TransactionEvent = z
    .object({
      id: z.string().min(1).max(100),
      type: z.enum(["capture", "refund"]),
      amount: z.number().int(),
      currency: z.string().min(3).max(3),
      card: z.union([z.string(), z.object({ id: z.string() }).loose()]),
      authorization: z
        .union([z.string(), z.object({ id: z.string() }).loose()])
        .nullable()
        .optional(),
      merchant_data: z.object({ name: z.string().nullable().optional() }).loose(),
    })
    .loose();
  export type TransactionEvent = z.infer<typeof TransactionEvent>;

  export function cardIdOf(event: TransactionEvent): string {
    return typeof event.card === "string" ? event.card : event.card.id;
  }

  /**
   * Books a card transaction once (ledger key `txn:<id>`): a capture adds to the job's spend, a refund
   * (reversal) takes it back. Returns whether this call booked it.
   */
  export async function applyTransaction(
    card: Info,
    event: TransactionEvent,
  ): Promise<{ created: boolean; transaction: Transaction }> {
    const accountId = Actor.accountId();
    const amount = Math.abs(event.amount);
    const currency = event.currency.toLowerCase();
    const merchantName = event.merchant_data.name ?? "";
    const authorizationId =
      typeof event.authorization === "string" ? event.authorization : (event.authorization?.id ?? undefined);
    const { created } = await Ledger.record({
      kind: event.type === "capture" ? "capture" : "reversal",
      jobId: card.jobId,
      amount,
      currency,
      reference: event.id,
      memo: merchantName.slice(0, 200),
      key: `txn:${event.id}`,
    });
    let createdAt = new Date().toISOString();
    try {
      await CardTransactionEntity.create({
        accountId,
        id: event.id,
        cardId: card.id,
        jobId: card.jobId,
        authorizationId,
        type: event.type,
        amount,
        currency,
        merchantName,
        createdAt,
      }).go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const existing = await CardTransactionEntity.get({ accountId, cardId: card.id, id: event.id }).go();
      createdAt = existing.data?.createdAt ?? createdAt;
    }
    if (created && event.type === "capture") {
      const auth = authorizationId
        ? (await CardAuthorizationEntity.get({ accountId, cardId: card.id, id: authorizationId }).go()).data
        : undefined;
      const delta = auth && !auth.recurring ? amount - auth.amount : auth ? 0 : amount;
      if (delta > 0) await CardEntity.patch({ accountId, id: card.id }).add({ held: delta }).go();
      if (delta < 0) await CardEntity.patch({ accountId, id: card.id }).subtract({ held: -delta }).go();
      if (auth) {
        await CardAuthorizationEntity.patch({ accountId, cardId: card.id, id: auth.id })
          .set({ status: "closed", capturedAmount: amount })
          .go();
      }
    }
    return {
      created,
      transaction: {
        id: event.id,
        type: event.type,
        amount,
        currency,
        merchantName,
        authorizationId: authorizationId ?? null,
        createdAt,
      },
    };
  }

  export async function transactionsOf(cardId: string): Promise<Transaction[]> {
    const accountId = Actor.accountId();
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
}

export namespace CardIssuer {
  export type Port = Issuer.CardIssuerPort;
  export type IssueInput = Issuer.IssueInput;

  let configured: Port | undefined;

  /** The configured issuer; the sandbox unless the runtime configured another (Stripe Issuing on AWS). */
  export function use(): Port {
    configured ??= new SandboxCardIssuer();
    return configured;
  }

  export function configure(port: Port): void {
    configured = port;
  }
}

export { expiryOf } from "./issuer.ts";
export { SandboxCardIssuer } from "./sandbox.ts";
export { luhnValid, SANDBOX_BIN } from "./sandbox-numbers.ts";
export { StripeCardIssuer } from "./stripe.ts";
