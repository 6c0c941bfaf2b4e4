import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Card,
  CardIssuer,
  Money,
  PaymentRail,
  SandboxCardIssuer,
  SandboxPaymentRail,
  StripeCardIssuer,
  StripePaymentRail,
  Vault,
} from "../../src/index.ts";
import { type FakeStripe, startFakeStripe } from "./fake-stripe.ts";
import { as, givenJob, moveTo, newAccount, system } from "./fixtures.ts";
import { cardIssuerContract, paymentRailContract } from "./ports.contract.ts";

let fake: FakeStripe;

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  PaymentRail.configure(new SandboxPaymentRail());
  CardIssuer.configure(new SandboxCardIssuer());
  await fake.stop();
});
beforeEach(() => fake.clear());

const noQuery = {};

paymentRailContract("stripe", () => new StripePaymentRail(fake.stripe()));
cardIssuerContract("stripe", () => new StripeCardIssuer(fake.stripe()));

describe("StripePaymentRail request shapes", () => {
  it("creates one Customer per account and confirms a SetupIntent for the card on file", async () => {
    const { accountId } = await newAccount();
    const rail = new StripePaymentRail(fake.stripe());
    await as(accountId, async () => {
      const setup = await rail.createSetup({ paymentMethod: "pm_card_visa" });
      expect(setup).toMatchObject({ status: "succeeded", clientSecret: "seti_secret_test" });
      const customer = fake.requests[0]!;
      expect(customer).toEqual({
        method: "POST",
        path: "/v1/customers",
        query: noQuery,
        form: { "metadata[fg_account]": accountId },
        idempotencyKey: `fg:${accountId}:customer`,
      });
      expect(fake.requests.slice(1)).toEqual([
        {
          method: "POST",
          path: "/v1/setup_intents",
          query: noQuery,
          form: {
            customer: expect.stringMatching(/^cus_\d+$/),
            usage: "off_session",
            "allowed_payment_method_types[0]": "card",
            "metadata[fg_account]": accountId,
            payment_method: "pm_card_visa",
            confirm: "true",
          },
          idempotencyKey: expect.stringMatching(/^stripe-node-retry-/),
        },
        {
          method: "POST",
          path: expect.stringMatching(/^\/v1\/customers\/cus_\d+$/),
          query: noQuery,
          form: { "invoice_settings[default_payment_method]": setup.paymentMethodId },
          idempotencyKey: expect.stringMatching(/^stripe-node-retry-/),
        },
      ]);

      fake.clear();
      const methods = await rail.listMethods();
      expect(methods).toEqual([
        {
          id: setup.paymentMethodId,
          brand: "visa",
          last4: "4242",
          expMonth: 12,
          expYear: 2030,
          isDefault: true,
        },
      ]);
      expect(fake.requests).toEqual([
        {
          method: "GET",
          path: "/v1/payment_methods",
          query: { customer: expect.stringMatching(/^cus_\d+$/), type: "card" },
          form: {},
          idempotencyKey: undefined,
        },
      ]);
    });
  });

  it("charges off-session with confirm and the caller's idempotency key, refunds and finds a charge by key", async () => {
    const { accountId } = await newAccount();
    const rail = new StripePaymentRail(fake.stripe());
    await as(accountId, async () => {
      const setup = await rail.createSetup({ paymentMethod: "pm_card_visa" });
      fake.clear();
      const charge = await rail.charge({
        amount: 2000,
        currency: "usd",
        idempotencyKey: "fg:job_X:charge",
        description: "fg relay-mail",
        metadata: { fg_job: "job_X" },
      });
      expect(charge).toMatchObject({ status: "succeeded", amount: 2000, currency: "usd" });
      expect(fake.requests).toEqual([
        {
          method: "POST",
          path: "/v1/payment_intents",
          query: noQuery,
          form: {
            amount: "2000",
            currency: "usd",
            customer: expect.stringMatching(/^cus_\d+$/),
            payment_method: setup.paymentMethodId,
            off_session: "true",
            confirm: "true",
            description: "fg relay-mail",
            "metadata[fg_job]": "job_X",
            "metadata[fg_key]": "fg:job_X:charge",
          },
          idempotencyKey: "fg:job_X:charge",
        },
      ]);

      fake.clear();
      const refund = await rail.refund({
        chargeId: charge.id,
        amount: 500,
        idempotencyKey: "fg:job_X:refund",
      });
      expect(refund).toMatchObject({ chargeId: charge.id, amount: 500, status: "succeeded" });
      expect(fake.requests).toEqual([
        {
          method: "POST",
          path: "/v1/refunds",
          query: noQuery,
          form: { payment_intent: charge.id, amount: "500", "metadata[fg_key]": "fg:job_X:refund" },
          idempotencyKey: "fg:job_X:refund",
        },
      ]);

      fake.clear();
      expect(await rail.findCharge("fg:job_X:charge")).toMatchObject({ id: charge.id, status: "succeeded" });
      expect(fake.requests).toEqual([
        {
          method: "GET",
          path: "/v1/payment_intents/search",
          query: { query: "metadata['fg_key']:'fg:job_X:charge'", limit: "1" },
          form: {},
          idempotencyKey: undefined,
        },
      ]);
    });
  });

  it("reports a declined card as a failed charge with the decline code", async () => {
    const { accountId } = await newAccount();
    const rail = new StripePaymentRail(fake.stripe());
    await as(accountId, async () => {
      await rail.createSetup({ paymentMethod: "pm_card_insufficientFunds" });
      const charge = await rail.charge({ amount: 900, currency: "usd", idempotencyKey: "fg:job_Y:charge" });
      expect(charge).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
      expect(charge.id).toMatch(/^pi_/);
    });
  });
});

describe("StripeCardIssuer request shapes", () => {
  it("issues a virtual card with the job's limit, reads number and CVC with expand, freezes, limits and cancels", async () => {
    const { accountId } = await newAccount();
    const issuer = new StripeCardIssuer(fake.stripe());
    const job = await givenJob(accountId, { maxSpend: 2000 });
    await as(accountId, async () => {
      const { card, details } = await issuer.issue({
        jobId: job.id,
        vendor: "relay-mail",
        limit: 2000,
        currency: "usd",
        subscription: false,
        merchantDescriptor: "^RELAYMAIL\\*",
        idempotencyKey: `fg:${job.id}:card`,
      });
      expect(details).toEqual({
        number: "4000009990000005",
        cvc: "987",
        expiry: "08/29",
        name: "fg provisioning",
      });
      expect(card).toMatchObject({
        provider: "stripe",
        jobId: job.id,
        limit: 2000,
        last4: "0005",
        status: "active",
      });
      expect(fake.requests).toEqual([
        {
          method: "POST",
          path: "/v1/issuing/cardholders",
          query: noQuery,
          form: {
            type: "individual",
            name: "fg provisioning",
            "billing[address][line1]": "1 Market Street",
            "billing[address][city]": "San Francisco",
            "billing[address][state]": "CA",
            "billing[address][postal_code]": "94105",
            "billing[address][country]": "US",
            "metadata[fg_account]": accountId,
          },
          idempotencyKey: `fg:${accountId}:cardholder`,
        },
        {
          method: "POST",
          path: "/v1/issuing/cards",
          query: noQuery,
          form: {
            cardholder: expect.stringMatching(/^ich_\d+$/),
            currency: "usd",
            type: "virtual",
            status: "active",
            "spending_controls[spending_limits][0][amount]": "2000",
            "spending_controls[spending_limits][0][interval]": "all_time",
            "metadata[fg_account]": accountId,
            "metadata[fg_job]": job.id,
          },
          idempotencyKey: `fg:${job.id}:card`,
        },
        {
          method: "GET",
          path: `/v1/issuing/cards/${card.providerCardId}`,
          query: { "expand[0]": "number", "expand[1]": "cvc" },
          form: {},
          idempotencyKey: undefined,
        },
      ]);

      const cardPath = `/v1/issuing/cards/${card.providerCardId}`;
      fake.clear();
      expect((await issuer.freeze(card.id, { idempotencyKey: `fg:${job.id}:card-freeze` })).status).toBe(
        "inactive",
      );
      expect(
        (await issuer.setMonthlyLimit(card.id, 1500, { idempotencyKey: `fg:${job.id}:card-monthly` }))
          .monthlyLimit,
      ).toBe(1500);
      expect((await issuer.cancel(card.id, { idempotencyKey: `fg:${job.id}:card-cancel` })).status).toBe(
        "canceled",
      );
      await issuer.transactions(card.id);
      expect(fake.requests).toEqual([
        {
          method: "POST",
          path: cardPath,
          query: noQuery,
          form: { status: "inactive" },
          idempotencyKey: `fg:${job.id}:card-freeze`,
        },
        {
          method: "POST",
          path: cardPath,
          query: noQuery,
          form: {
            "spending_controls[spending_limits][0][amount]": "1500",
            "spending_controls[spending_limits][0][interval]": "monthly",
          },
          idempotencyKey: `fg:${job.id}:card-monthly`,
        },
        {
          method: "POST",
          path: cardPath,
          query: noQuery,
          form: { status: "canceled" },
          idempotencyKey: `fg:${job.id}:card-cancel`,
        },
        {
          method: "GET",
          path: "/v1/issuing/transactions",
          query: { card: card.providerCardId, limit: "100" },
          form: {},
          idempotencyKey: undefined,
        },
      ]);
    });
  });
});

describe("money steps on the Stripe adapters", () => {
  it("sends keys derived from the job and step, and repeats none of them on a second run", async () => {
    const { accountId } = await newAccount();
    PaymentRail.configure(new StripePaymentRail(fake.stripe()));
    CardIssuer.configure(new StripeCardIssuer(fake.stripe()));
    try {
      await as(accountId, () => PaymentRail.addCard({ paymentMethod: "pm_card_visa" }));
      const job = await givenJob(accountId, { maxSpend: 2000 });
      fake.clear();
      const charge = await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
      await moveTo(accountId, job.id, "issuing_card");
      const issued = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
      const secret = await system(accountId, () => Vault.use().get(issued.vaultRef!, { reason: "test" }));
      expect(JSON.parse(secret)).toMatchObject({ number: "4000009990000005", cvc: "987" });
      await moveTo(accountId, job.id, "provisioning", "failed");
      const closed = await system(accountId, () =>
        Money.compensateJob({ jobId: job.id, reason: "agent failed" }),
      );
      expect(closed).toMatchObject({ refunded: 2000, card: "canceled" });
      const card = await system(accountId, () => Card.get({ id: issued.cardId! }));
      const writes = fake.requests
        .filter((r) => r.method === "POST")
        .map((r) => `${r.path} ${r.idempotencyKey}`);
      expect(writes).toEqual([
        `/v1/payment_intents fg:${job.id}:charge`,
        `/v1/issuing/cardholders fg:${accountId}:cardholder`,
        `/v1/issuing/cards fg:${job.id}:card`,
        `/v1/issuing/cards/${card.providerCardId} fg:${job.id}:card-cancel:${issued.cardId}`,
        `/v1/refunds fg:${job.id}:refund`,
      ]);
      expect(charge.chargeId).toMatch(/^pi_/);

      fake.clear();
      await system(accountId, async () => {
        await Money.chargeForJob({ jobId: job.id });
        await Money.issueCardForJob({ jobId: job.id });
        await Money.compensateJob({ jobId: job.id, reason: "agent failed" });
      });
      expect(fake.requests.filter((r) => r.method === "POST")).toEqual([]);
    } finally {
      PaymentRail.configure(new SandboxPaymentRail());
      CardIssuer.configure(new SandboxCardIssuer());
    }
  });
});
