import Stripe from "stripe";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Card } from "../card/index.ts";
import { Money } from "../money/index.ts";
import { PaymentRail } from "../payment/index.ts";
import { PaymentProfileEntity } from "../payment/payment-profile.entity.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { WebhookReceiptEntity } from "./webhook-receipt.entity.ts";

const RECEIPT_TTL_SECONDS = 30 * 86_400;
/** Stripe's own default: a signature older than five minutes is a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export namespace Webhook {
  export interface Reply {
    status: 200;
    body: Record<string, unknown>;
    headers: Record<string, string>;
  }

  const AccountId = Id.schema("account");
  const JobId = Id.schema("job");

  /**
   * Verifies, dedupes and handles one Stripe delivery. Throws `webhook.bad_signature` (400) for a missing,
   * forged, tampered or stale signature before anything is written. A receipt is written conditionally on
   * the event id before any side effect; a redelivery does nothing (an authorization request gets the
   * same answer again).
   */
  export const handleStripe = fn(
    z
      .object({
        payload: z.string(),
        signature: z.string().optional(),
        secret: z.string().min(1).optional(),
        toleranceSeconds: z.number().int().positive().optional(),
      })
      .strict(),
    async ({ payload, signature, secret, toleranceSeconds }): Promise<Reply> => {
      const signingSecret = secret ?? process.env.FG_STRIPE_WEBHOOK_SECRET;
      if (!signingSecret) {
        throw new VisibleError(
          "unprocessable",
          "webhook.not_configured",
          "FG_STRIPE_WEBHOOK_SECRET is not set",
        );
      }
      let event: Stripe.Event;
      try {
        if (!signature) throw new Error("missing");
        event = Stripe.webhooks.constructEvent(
          payload,
          signature,
          signingSecret,
          toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS,
        );
      } catch {
        throw new VisibleError(
          "input",
          "webhook.bad_signature",
          "The Stripe-Signature header is missing, invalid or too old",
        );
      }
      const headers = { "Stripe-Version": event.api_version ?? Stripe.API_VERSION };
      const fresh = await claim(event);
      if (!fresh) {
        if (event.type === "issuing_authorization.request") {
          return { status: 200, body: await answer(event), headers };
        }
        return { status: 200, body: { received: true, duplicate: true }, headers };
      }
      try {
        const body = await dispatch(event);
        return { status: 200, body, headers };
      } catch (error) {
        // Let Stripe's retry run the handler again: every handler is idempotent on its own keys.
        await WebhookReceiptEntity.delete({ provider: "stripe", eventId: event.id }).go();
        throw error;
      }
    },
  );

  async function claim(event: Stripe.Event): Promise<boolean> {
    try {
      await WebhookReceiptEntity.create({
        provider: "stripe",
        eventId: event.id,
        type: event.type,
        accountId: accountOf(event),
        receivedAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + RECEIPT_TTL_SECONDS,
      }).go();
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  function accountOf(event: Stripe.Event): string | undefined {
    const metadata = (event.data.object as { metadata?: Record<string, string> }).metadata;
    const parsed = AccountId.safeParse(metadata?.fg_account);
    return parsed.success ? parsed.data : undefined;
  }

  async function answer(event: Stripe.Event): Promise<Record<string, unknown>> {
    const decision = await Card.authorize({
      provider: "stripe",
      authorization: event.data.object as unknown as Card.AuthorizationRequest,
    });
    return { approved: decision.approved };
  }

  async function dispatch(event: Stripe.Event): Promise<Record<string, unknown>> {
    switch (event.type) {
      case "issuing_authorization.request":
        return answer(event);
      case "issuing_authorization.created": {
        const auth = event.data.object;
        await Card.recordIssuerDecision({
          provider: "stripe",
          authorization: auth as unknown as Card.AuthorizationRequest & { approved: boolean },
        });
        return { received: true };
      }
      case "issuing_transaction.created":
        await Money.cardTransaction({
          provider: "stripe",
          transaction: event.data.object as unknown as Card.TransactionEvent,
        });
        return { received: true };
      case "payment_intent.succeeded": {
        const intent = event.data.object;
        await forJob(intent.metadata, async (jobId) => {
          if (intent.metadata.fg_ledger_key !== `${jobId}:charge`) return;
          await Money.confirmCharge({
            jobId,
            chargeId: intent.id,
            amount: intent.amount,
            currency: intent.currency,
          });
        });
        return { received: true };
      }
      case "payment_intent.payment_failed": {
        const intent = event.data.object;
        await forJob(intent.metadata, (jobId) =>
          Money.chargeFailed({
            jobId,
            code: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? null,
          }),
        );
        return { received: true };
      }
      case "charge.refunded": {
        for (const refund of event.data.object.refunds?.data ?? []) {
          const key = refund.metadata?.fg_ledger_key;
          if (!key) continue;
          await forJob(refund.metadata ?? {}, (jobId) =>
            Money.confirmRefund({
              jobId,
              refundId: refund.id,
              amount: refund.amount,
              currency: refund.currency,
              ledgerKey: key,
            }),
          );
        }
        return { received: true };
      }
      case "setup_intent.succeeded": {
        const intent = event.data.object;
        const accountId = AccountId.safeParse(intent.metadata?.fg_account);
        const paymentMethod =
          typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id;
        if (accountId.success && paymentMethod) {
          await Actor.system("stripe setup_intent.succeeded", accountId.data, async () => {
            const profile = await PaymentProfileEntity.get({ accountId: accountId.data }).go({
              consistent: true,
            });
            if (!profile.data?.defaultPaymentMethod) await PaymentRail.use().setDefault(paymentMethod);
          });
        }
        return { received: true };
      }
      default:
        return { received: true, ignored: true };
    }
  }

  async function forJob(
    metadata: Record<string, string> | null | undefined,
    cb: (jobId: string) => Promise<void>,
  ): Promise<void> {
    const accountId = AccountId.safeParse(metadata?.fg_account);
    const jobId = JobId.safeParse(metadata?.fg_job);
    if (!accountId.success || !jobId.success) return;
    await Actor.system("stripe webhook", accountId.data, () => cb(jobId.data));
  }
}
