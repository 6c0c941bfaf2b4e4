import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Card,
  CardIssuer,
  JobEvent,
  Ledger,
  Money,
  PaymentRail,
  SandboxCardIssuer,
  SandboxPaymentRail,
  Store,
  StripeCardIssuer,
  StripePaymentRail,
  Webhook,
} from "../../src/index.ts";
import { type FakeStripe, startFakeStripe } from "./fake-stripe.ts";
import { as, givenJob, moveTo, newAccount, system } from "./fixtures.ts";

const secret = "whsec_test_money_loop";
let fake: FakeStripe;
let sequence = 0;

beforeAll(async () => {
  fake = await startFakeStripe();
  process.env.FG_STRIPE_WEBHOOK_SECRET = secret;
  PaymentRail.configure(new StripePaymentRail(fake.stripe()));
  CardIssuer.configure(new StripeCardIssuer(fake.stripe()));
});
afterAll(async () => {
  PaymentRail.configure(new SandboxPaymentRail());
  CardIssuer.configure(new SandboxCardIssuer());
  await fake.stop();
});

function event(type: string, object: Record<string, unknown>) {
  sequence += 1;
  return JSON.stringify({
    id: `evt_test_${Date.now()}_${sequence}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
}

const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? secret, ...options });

async function stripeJob() {
  const { accountId } = await newAccount();
  await as(accountId, () => PaymentRail.addCard({ paymentMethod: "pm_card_visa" }));
  const job = await givenJob(accountId, { maxSpend: 2000 });
  await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "issuing_card");
  const issued = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "provisioning");
  const card = await system(accountId, () => Card.get({ id: issued.cardId! }));
  return { accountId, job, card };
}

function authorizationRequest(cardId: string, amount: number, merchant = "RELAYMAIL* STARTER") {
  return {
    id: `iauth_${Date.now()}_${sequence + 1}`,
    object: "issuing.authorization",
    amount: 0,
    approved: false,
    currency: "usd",
    status: "pending",
    card: { id: cardId, object: "issuing.card" },
    merchant_data: { name: merchant, category: "computer_software_stores" },
    pending_request: { amount, currency: "usd", merchant_amount: amount, merchant_currency: "usd" },
  };
}

async function receiptCount(): Promise<number> {
  const scan = await Store.fg.entities.webhookReceipt.scan.go({ pages: "all" });
  return scan.data.length;
}

describe("Stripe webhooks", () => {
  it("answers issuing_authorization.request synchronously with the shared decision", async () => {
    const { accountId, job, card } = await stripeJob();
    const approve = event("issuing_authorization.request", authorizationRequest(card.providerCardId, 1500));
    const reply = await Webhook.handleStripe({ payload: approve, signature: sign(approve) });
    expect(reply).toEqual({
      status: 200,
      body: { approved: true },
      headers: { "Stripe-Version": Stripe.API_VERSION },
    });
    const decline = event(
      "issuing_authorization.request",
      authorizationRequest(card.providerCardId, 100, "SOMEONE ELSE"),
    );
    expect((await Webhook.handleStripe({ payload: decline, signature: sign(decline) })).body).toEqual({
      approved: false,
    });
    const again = await Webhook.handleStripe({ payload: approve, signature: sign(approve) });
    expect(again.body).toEqual({ approved: true });
    await system(accountId, async () => {
      const reasons = (await JobEvent.list({ jobId: job.id }))
        .filter((e) => e.type === "card.authorization")
        .map((e) => e.data.reason);
      expect(reasons).toEqual(["within_job_limit", "merchant_mismatch"]);
    });
  });

  it("books a transaction delivered three times exactly once", async () => {
    const { accountId, job, card } = await stripeJob();
    const payload = event("issuing_transaction.created", {
      id: `ipi_test_${Date.now()}`,
      object: "issuing.transaction",
      type: "capture",
      amount: -1500,
      currency: "usd",
      card: card.providerCardId,
      authorization: null,
      merchant_data: { name: "RELAYMAIL* STARTER" },
    });
    const replies = [];
    for (let i = 0; i < 3; i++)
      replies.push(await Webhook.handleStripe({ payload, signature: sign(payload) }));
    expect(replies.map((r) => r.body)).toEqual([
      { received: true },
      { received: true, duplicate: true },
      { received: true, duplicate: true },
    ]);
    await system(accountId, async () => {
      expect((await Ledger.forJob(job.id)).filter((e) => e.kind === "capture")).toHaveLength(1);
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({ captured: 2000, spent: 1500 });
      expect(
        (await JobEvent.list({ jobId: job.id })).filter((e) => e.type === "card.transaction"),
      ).toHaveLength(1);
    });
  });

  it("books a charge confirmed only by payment_intent.succeeded, once", async () => {
    const { accountId } = await newAccount();
    const job = await givenJob(accountId, { maxSpend: 900 });
    const payload = event("payment_intent.succeeded", {
      id: "pi_webhook_only",
      object: "payment_intent",
      amount: 900,
      currency: "usd",
      status: "succeeded",
      metadata: { fg_account: accountId, fg_job: job.id, fg_ledger_key: `${job.id}:charge` },
    });
    await Webhook.handleStripe({ payload, signature: sign(payload) });
    await Webhook.handleStripe({ payload, signature: sign(payload) });
    await system(accountId, async () => {
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({ captured: 900, matchesJob: true });
      expect(await Money.chargeForJob({ jobId: job.id })).toMatchObject({ chargeId: "pi_webhook_only" });
    });
  });

  it("ignores event types it does not handle", async () => {
    const payload = event("customer.created", { id: "cus_x", object: "customer" });
    expect((await Webhook.handleStripe({ payload, signature: sign(payload) })).body).toEqual({
      received: true,
      ignored: true,
    });
  });

  it("rejects forged, tampered, stale and missing signatures before writing anything", async () => {
    const { card } = await stripeJob();
    const payload = event("issuing_authorization.request", authorizationRequest(card.providerCardId, 500));
    const before = await receiptCount();
    const forged = sign(payload, { secret: "whsec_attacker" });
    const tampered = payload.replace('"amount":500', '"amount":5');
    const stale = sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    for (const attempt of [
      { payload, signature: forged },
      { payload: tampered, signature: sign(payload) },
      { payload, signature: stale },
      { payload },
    ]) {
      await expect(Webhook.handleStripe(attempt)).rejects.toMatchObject({
        kind: "input",
        code: "webhook.bad_signature",
      });
    }
    expect(await receiptCount()).toBe(before);
  });
});
