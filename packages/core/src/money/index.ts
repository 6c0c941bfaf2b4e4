import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Card, CardIssuer } from "../card/index.ts";
import { Job } from "../job/index.ts";
import { JobEvent } from "../job-event/index.ts";
import { Ledger } from "../ledger/index.ts";
import { PaymentRail } from "../payment/index.ts";
import { Policy } from "../policy/index.ts";
import { Secrets } from "../secret/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { Vault } from "../vault/index.ts";
import { VendorCatalog } from "../vendor/catalog.ts";
import { JobMoneyEntity } from "./job-money.entity.ts";

type State = NonNullable<Awaited<ReturnType<ReturnType<typeof JobMoneyEntity.get>["go"]>>["data"]>;

/**
 * The job's money steps (SPEC §5). Each is idempotent: provider calls carry keys derived from the job, ledger
 * entries are booked once per key together with the job's counters, and the step's outcome is stored on the
 * job's money state with conditional writes. A repeated or concurrent call returns the first result.
 */
export namespace Money {
  const JobInput = z.object({ jobId: Id.schema("job") }).strict();

  export const ChargeResult = z.object({
    jobId: z.string(),
    status: z.enum(["charged", "skipped"]),
    chargeId: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
  });
  export type ChargeResult = z.infer<typeof ChargeResult>;

  export const IssueResult = z.object({
    jobId: z.string(),
    status: z.enum(["issued", "skipped"]),
    cardId: z.string().nullable(),
    last4: z.string().nullable(),
    /** Vault ref of the job-scoped `card` secret: JSON { number, expiry, cvc, name }. */
    vaultRef: z.string().nullable(),
    limit: z.number().int(),
    currency: z.string(),
  });
  export type IssueResult = z.infer<typeof IssueResult>;

  export const CloseResult = z.object({
    jobId: z.string(),
    outcome: z.enum(["settled", "compensated"]),
    card: z.enum(["canceled", "kept", "none"]),
    refunded: z.number().int(),
    refundId: z.string().nullable(),
    reason: z.string().nullable(),
    reconciliation: Ledger.Reconciliation,
  });
  export type CloseResult = z.infer<typeof CloseResult>;

  /** Provider idempotency keys: the same job step always sends the same key. */
  export function idempotencyKey(jobId: string, step: string): string {
    return `fg:${jobId}:${step}`;
  }

  /** Charges `maxSpend` to the card on file. A decline throws `payment.declined` and nothing is issued after. */
  export const chargeForJob = fn(JobInput, async ({ jobId }): Promise<ChargeResult> => {
    Actor.assertSystem();
    const accountId = Actor.accountId();
    const job = await Job.get({ id: jobId });
    const { amount, currency } = job.maxSpend;
    if (amount === 0) return { jobId, status: "skipped", chargeId: null, amount: 0, currency };
    const state = await load(jobId);
    if (state?.chargeStatus === "charged") return charged(jobId, state, currency);
    if (state?.chargeStatus === "declined") throw declined(state.failureCode, state.failureMessage);
    if (state?.closed) throw closedError(jobId);
    const booked = await Ledger.byKey(ledgerKey(jobId, "charge"));
    if (!booked) {
      const verdict = await Policy.check({ vendor: job.vendor, amount, currency });
      if (verdict.outcome === "deny") {
        const first = verdict.reasons[0];
        throw new VisibleError(
          "forbidden",
          first?.code ?? "policy.denied",
          verdict.reasons.map((r) => r.message).join("; "),
        );
      }
    }
    const charge = booked
      ? {
          id: booked.reference ?? "",
          amount: booked.amount,
          status: "succeeded" as const,
          failureCode: null,
          failureMessage: null,
        }
      : await PaymentRail.use().charge({
          amount,
          currency,
          idempotencyKey: idempotencyKey(jobId, "charge"),
          description: `fg ${job.vendor} (${jobId})`,
          metadata: { fg_account: accountId, fg_job: jobId, fg_ledger_key: ledgerKey(jobId, "charge") },
        });
    if (charge.status === "failed") {
      await JobMoneyEntity.upsert({
        accountId,
        jobId,
        chargeStatus: "declined",
        failureCode: charge.failureCode ?? "card_declined",
        failureMessage: charge.failureMessage ?? "The card on file was declined",
      }).go();
      await JobEvent.append({
        jobId,
        type: "payment.failed",
        data: { code: charge.failureCode, message: charge.failureMessage, amount, currency },
      });
      throw declined(charge.failureCode, charge.failureMessage);
    }
    await bookCharge(jobId, charge.id, charge.amount, currency);
    return { jobId, status: "charged", chargeId: charge.id, amount: charge.amount, currency };
  });

  /** Issues a virtual card limited to `maxSpend`; its details go straight to the vault as a job-scoped secret. */
  export const issueCardForJob = fn(JobInput, async ({ jobId }): Promise<IssueResult> => {
    Actor.assertSystem();
    const accountId = Actor.accountId();
    const job = await Job.get({ id: jobId });
    const { amount, currency } = job.maxSpend;
    const skipped: IssueResult = {
      jobId,
      status: "skipped",
      cardId: null,
      last4: null,
      vaultRef: null,
      limit: 0,
      currency,
    };
    if (amount === 0) return skipped;
    const state = await load(jobId);
    if (state?.cardId && state.vaultRef) return issued(jobId, state, amount, currency);
    if (state?.chargeStatus !== "charged") {
      throw new VisibleError(
        "conflict",
        "money.not_charged",
        "The job's charge has not succeeded, so no card is issued",
      );
    }
    if (state.closed) throw closedError(jobId);
    const { card, details } = await CardIssuer.use().issue({
      jobId,
      vendor: job.vendor,
      limit: amount,
      currency,
      subscription: job.goal === "subscription",
      merchantDescriptor: VendorCatalog.descriptorFor(job.vendor).source,
      idempotencyKey: idempotencyKey(jobId, "card"),
    });
    const secrets = Secrets.forJob(jobId);
    secrets.register("CARD_NUMBER", details.number);
    secrets.register("CARD_CVC", details.cvc);
    secrets.register("CARD_EXPIRY", details.expiry);
    const { ref } = await Vault.use().put({
      kind: "card",
      value: JSON.stringify(details),
      vendor: job.vendor,
      jobId,
      label: `virtual card ending ${card.last4}`,
    });
    try {
      await JobMoneyEntity.patch({ accountId, jobId })
        .set({ cardId: card.id, cardLast4: card.last4, vaultRef: ref })
        .where((a, op) => op.notExists(a.vaultRef))
        .go();
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      await Vault.use().delete(ref, { reason: "duplicate card secret from a concurrent issue" });
      const winner = await load(jobId);
      if (winner?.cardId && winner.vaultRef) return issued(jobId, winner, amount, currency);
      throw error;
    }
    await JobEvent.append({
      jobId,
      type: "card.issued",
      data: { cardId: card.id, last4: card.last4, limit: amount, currency, subscription: card.subscription },
    });
    return {
      jobId,
      status: "issued",
      cardId: card.id,
      last4: card.last4,
      vaultRef: ref,
      limit: amount,
      currency,
    };
  });

  /**
   * Ends a successful job's money: cancels the card (or keeps it with a monthly limit for a subscription) and
   * refunds `captured - spent`.
   */
  export const settleJob = fn(
    JobInput,
    async ({ jobId }): Promise<CloseResult> => close(jobId, "settled", null),
  );

  /** Ends a failed or canceled job's money: cancels the card, refunds everything not spent, records why. */
  export const compensateJob = fn(
    JobInput.extend({ reason: z.string().trim().min(1).max(500) }),
    async ({ jobId, reason }): Promise<CloseResult> => close(jobId, "compensated", reason),
  );

  /** The money state of a job as stored (for the API and tests). */
  export const state = fn(JobInput, async ({ jobId }) => {
    const found = await load(jobId);
    return {
      jobId,
      chargeStatus: found?.chargeStatus ?? null,
      chargeId: found?.chargeId ?? null,
      cardId: found?.cardId ?? null,
      closed: found?.closed ?? null,
      reason: found?.reason ?? null,
    };
  });

  async function close(
    jobId: string,
    outcome: CloseResult["outcome"],
    reason: string | null,
  ): Promise<CloseResult> {
    Actor.assertSystem();
    const accountId = Actor.accountId();
    const before = await load(jobId);
    if (before?.closed) return CloseResult.parse(before.closeResult);
    const job = await Job.get({ id: jobId });
    const { currency } = job.maxSpend;

    if (job.maxSpend.amount > 0 && !before?.chargeStatus) await recoverCharge(jobId, currency);

    const keep = outcome === "settled" && job.goal === "subscription";
    let cardOutcome: CloseResult["card"] = "none";
    const cards = await Card.forJob({ jobId });
    if (before?.cardId && !cards.some((c) => c.id === before.cardId)) {
      cards.push(await Card.get({ id: before.cardId }));
    }
    for (const card of cards) {
      if (keep) {
        await CardIssuer.use().setMonthlyLimit(card.id, monthlyLimitFor(job), {
          idempotencyKey: idempotencyKey(jobId, `card-monthly:${card.id}`),
        });
        cardOutcome = "kept";
      } else {
        if (card.status !== "canceled") {
          await CardIssuer.use().cancel(card.id, {
            idempotencyKey: idempotencyKey(jobId, `card-cancel:${card.id}`),
          });
        }
        cardOutcome = "canceled";
      }
    }

    const state = await load(jobId);
    const counters = (await Job.get({ id: jobId })).spend;
    const remaining = counters.captured - counters.spent - counters.refunded;
    let refundId: string | null = null;
    let refunded = 0;
    const existingRefund = await Ledger.byKey(ledgerKey(jobId, "refund"));
    if (existingRefund) {
      refundId = existingRefund.reference;
      refunded = existingRefund.amount;
    } else if (remaining > 0 && state?.chargeId) {
      const refund = await PaymentRail.use().refund({
        chargeId: state.chargeId,
        amount: remaining,
        idempotencyKey: idempotencyKey(jobId, "refund"),
        metadata: { fg_account: accountId, fg_job: jobId, fg_ledger_key: ledgerKey(jobId, "refund") },
      });
      const booked = await bookRefund(
        jobId,
        refund.id,
        refund.amount,
        currency,
        ledgerKey(jobId, "refund"),
        outcome,
      );
      refundId = booked.reference;
      refunded = booked.amount;
    }

    if (state?.vaultRef) {
      await Vault.use().delete(state.vaultRef, { reason: `job ${outcome}: card details no longer needed` });
    }
    Secrets.release(jobId);

    const result: CloseResult = {
      jobId,
      outcome,
      card: cardOutcome,
      refunded,
      refundId,
      reason,
      reconciliation: await Ledger.reconcile({ jobId }),
    };
    try {
      if (state) {
        await JobMoneyEntity.patch({ accountId, jobId })
          .set({ closed: outcome, closeResult: result, ...(reason ? { reason } : {}) })
          .where((a, op) => op.notExists(a.closed))
          .go();
      } else {
        await JobMoneyEntity.create({
          accountId,
          jobId,
          closed: outcome,
          closeResult: result,
          ...(reason ? { reason } : {}),
        }).go();
      }
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const winner = await load(jobId);
      if (winner?.closed) return CloseResult.parse(winner.closeResult);
      throw error;
    }
    await JobEvent.append({
      jobId,
      type: outcome === "settled" ? "money.settled" : "money.compensated",
      data: {
        card: cardOutcome,
        refunded,
        ...(reason ? { reason } : {}),
        balanced: result.reconciliation.balanced,
      },
    });
    return result;
  }

  /** A charge the rail made but a crash kept us from booking is found by its key and booked, never repeated. */
  async function recoverCharge(jobId: string, currency: string): Promise<void> {
    const found = await PaymentRail.use().findCharge(idempotencyKey(jobId, "charge"));
    if (found?.status === "succeeded") await bookCharge(jobId, found.id, found.amount, currency);
  }

  async function bookCharge(
    jobId: string,
    chargeId: string,
    amount: number,
    currency: string,
  ): Promise<void> {
    const accountId = Actor.accountId();
    const { created } = await Ledger.record({
      kind: "charge",
      jobId,
      amount,
      currency,
      reference: chargeId,
      key: ledgerKey(jobId, "charge"),
    });
    await JobMoneyEntity.upsert({
      accountId,
      jobId,
      chargeStatus: "charged",
      chargeId,
      chargeAmount: amount,
    }).go();
    if (created) {
      await JobEvent.append({ jobId, type: "payment.captured", data: { chargeId, amount, currency } });
    }
  }

  async function bookRefund(
    jobId: string,
    refundId: string,
    amount: number,
    currency: string,
    key: string,
    why: string,
  ): Promise<Ledger.Info> {
    const { entry, created } = await Ledger.record({
      kind: "refund",
      jobId,
      amount,
      currency,
      reference: refundId,
      memo: why,
      key,
    });
    if (created) {
      await JobEvent.append({
        jobId,
        type: "refund.issued",
        data: { refundId, amount, currency, reason: why },
      });
    }
    return entry;
  }

  function monthlyLimitFor(job: Job.Info): number {
    const plan = VendorCatalog.bySlug(job.vendor)?.plans.find(
      (p) => p.id === job.plan && p.interval === "month",
    );
    return plan?.amount ?? job.maxSpend.amount;
  }

  /**
   * Books a card transaction from the issuer (Stripe's issuing_transaction.created or the local network). Spend
   * after the job's money was closed is trued up against the card on file: a capture re-bills it (a recurring
   * charge), a vendor refund is passed back to the user.
   */
  export const cardTransaction = fn(
    z.object({ provider: Card.Provider, transaction: Card.TransactionEvent }).strict(),
    async ({ provider, transaction }) => {
      const found = await Card.byProviderCard(provider, Card.cardIdOf(transaction));
      if (!found) return { recorded: false, transactionId: transaction.id, created: false };
      return Actor.system("card transaction", found.accountId, async () => {
        const { card } = found;
        const { created, transaction: txn } = await Card.applyTransaction(card, transaction);
        if (created) {
          await JobEvent.append({
            jobId: card.jobId,
            type: "card.transaction",
            data: {
              transactionId: txn.id,
              cardId: card.id,
              type: txn.type,
              amount: txn.amount,
              currency: txn.currency,
              merchant: txn.merchantName,
            },
          });
        }
        const state = await load(card.jobId);
        if (state?.closed) await trueUp(card.jobId, txn);
        return { recorded: true, transactionId: txn.id, created };
      });
    },
  );

  async function trueUp(jobId: string, txn: Card.Transaction): Promise<void> {
    const accountId = Actor.accountId();
    const { spend } = await Job.get({ id: jobId });
    const gap = spend.spent + spend.refunded - spend.captured;
    if (gap === 0) return;
    const state = await load(jobId);
    if (gap > 0 && txn.type === "capture") {
      const amount = Math.min(gap, txn.amount);
      const charge = await PaymentRail.use().charge({
        amount,
        currency: spend.currency,
        idempotencyKey: idempotencyKey(jobId, `rebill:${txn.id}`),
        description: `fg recurring charge (${jobId})`,
        metadata: { fg_account: accountId, fg_job: jobId, fg_ledger_key: `rebill:${txn.id}` },
      });
      if (charge.status === "failed") {
        await JobEvent.append({
          jobId,
          type: "payment.failed",
          data: { code: charge.failureCode, message: charge.failureMessage, amount, recurring: true },
        });
        for (const card of await Card.forJob({ jobId })) {
          if (card.status === "active") await CardIssuer.use().freeze(card.id);
        }
        return;
      }
      const { created: booked } = await Ledger.record({
        kind: "recurring_charge",
        jobId,
        amount,
        currency: spend.currency,
        reference: charge.id,
        memo: `covers ${txn.id}`,
        key: `rebill:${txn.id}`,
      });
      if (booked) {
        await JobEvent.append({
          jobId,
          type: "payment.captured",
          data: { chargeId: charge.id, amount, currency: spend.currency, recurring: true },
        });
      }
    } else if (gap < 0 && txn.type === "refund" && state?.chargeId) {
      await passVendorRefundBack(jobId, txn, Math.min(-gap, txn.amount), state.chargeId, spend.currency);
    }
  }

  const REFUND_FROM = "vendor refund from ";

  /**
   * Refunds a vendor's refund to the card on file, newest charge first: after a compensation the first charge
   * can be fully refunded while later re-bills are not, and one refund may have to span several charges.
   * What is left on each charge comes from the ledger (vendor refunds record their charge; every other refund
   * came from the first charge), so a replay after a crash computes the same parts and keys.
   */
  async function passVendorRefundBack(
    jobId: string,
    txn: Card.Transaction,
    amount: number,
    firstChargeId: string,
    currency: string,
  ): Promise<void> {
    const accountId = Actor.accountId();
    const entries = await Ledger.forJob(jobId);
    const refundedFrom = (chargeId: string) =>
      entries
        .filter((e) => e.kind === "refund" && e.memo === `${REFUND_FROM}${chargeId}`)
        .reduce((n, e) => n + e.amount, 0);
    const rebills = entries
      .filter((e) => e.kind === "recurring_charge" && e.reference)
      .map((e) => ({ id: e.reference as string, left: e.amount - refundedFrom(e.reference as string) }))
      .reverse();
    const allRefunds = entries.filter((e) => e.kind === "refund").reduce((n, e) => n + e.amount, 0);
    const first = entries.find((e) => e.kind === "charge")?.amount ?? 0;
    const fromRebills = rebills.reduce((n, r) => n + refundedFrom(r.id), 0);
    const charges = [...rebills, { id: firstChargeId, left: first - (allRefunds - fromRebills) }];
    let remaining = amount;
    for (const charge of charges) {
      const part = Math.min(remaining, charge.left);
      if (part <= 0) continue;
      const key = `refund:${txn.id}:${charge.id}`;
      const refund = await PaymentRail.use().refund({
        chargeId: charge.id,
        amount: part,
        idempotencyKey: idempotencyKey(jobId, key),
        metadata: { fg_account: accountId, fg_job: jobId, fg_ledger_key: key },
      });
      await bookRefund(jobId, refund.id, refund.amount, currency, key, `${REFUND_FROM}${charge.id}`);
      remaining -= part;
      if (remaining === 0) return;
    }
    throw new VisibleError(
      "payment",
      "payment.refund_exceeds_charge",
      `The charges of job ${jobId} have ${amount - remaining} of ${amount} left to pass a vendor refund back`,
    );
  }

  /** Books a provider object that carries fg's ledger key in its metadata (webhook catch-up). */
  export async function confirmCharge(input: {
    jobId: string;
    chargeId: string;
    amount: number;
    currency: string;
  }) {
    const state = await load(input.jobId);
    if (state?.chargeStatus === "charged") return;
    await bookCharge(input.jobId, input.chargeId, input.amount, input.currency);
    if (!state?.closed) return;
    const { spend } = await Job.get({ id: input.jobId });
    const excess = spend.captured - spend.spent - spend.refunded;
    if (excess <= 0) return;
    const key = ledgerKey(input.jobId, "late-charge-refund");
    const refund = await PaymentRail.use().refund({
      chargeId: input.chargeId,
      amount: excess,
      idempotencyKey: idempotencyKey(input.jobId, "late-charge-refund"),
      metadata: { fg_account: Actor.accountId(), fg_job: input.jobId, fg_ledger_key: key },
    });
    await bookRefund(
      input.jobId,
      refund.id,
      refund.amount,
      input.currency,
      key,
      "charge confirmed after close",
    );
  }

  /** Books a refund fg made (found in a webhook) if a crash kept it from being booked. */
  export async function confirmRefund(input: {
    jobId: string;
    refundId: string;
    amount: number;
    currency: string;
    ledgerKey: string;
  }) {
    await bookRefund(
      input.jobId,
      input.refundId,
      input.amount,
      input.currency,
      input.ledgerKey,
      "confirmed by webhook",
    );
  }

  export async function chargeFailed(input: { jobId: string; code: string | null }) {
    const state = await load(input.jobId);
    if (state?.chargeStatus) return;
    await JobEvent.append({ jobId: input.jobId, type: "payment.failed", data: { code: input.code } });
  }

  function ledgerKey(jobId: string, step: string): string {
    return `${jobId}:${step}`;
  }

  async function load(jobId: string): Promise<State | undefined> {
    const accountId = Actor.accountId();
    return (await JobMoneyEntity.get({ accountId, jobId }).go({ consistent: true })).data ?? undefined;
  }

  function charged(jobId: string, state: State, currency: string): ChargeResult {
    return {
      jobId,
      status: "charged",
      chargeId: state.chargeId ?? null,
      amount: state.chargeAmount ?? 0,
      currency,
    };
  }

  function issued(jobId: string, state: State, limit: number, currency: string): IssueResult {
    return {
      jobId,
      status: "issued",
      cardId: state.cardId ?? null,
      last4: state.cardLast4 ?? null,
      vaultRef: state.vaultRef ?? null,
      limit,
      currency,
    };
  }

  function declined(code: string | null | undefined, message: string | null | undefined): VisibleError {
    return new VisibleError(
      "payment",
      "payment.declined",
      `${message ?? "The card on file was declined"} (${code ?? "card_declined"}); the job cannot proceed`,
    );
  }

  function closedError(jobId: string): VisibleError {
    return new VisibleError("conflict", "money.closed", `The money for job ${jobId} was already settled`);
  }
}
