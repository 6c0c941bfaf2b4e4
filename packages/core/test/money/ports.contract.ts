import { describe, expect, it } from "vitest";
import { luhnValid } from "../../src/card/sandbox-numbers.ts";
import { Card, type CardIssuer, type PaymentRail } from "../../src/index.ts";
import { as, givenJob, newAccount } from "./fixtures.ts";

/** Every PaymentRail adapter behaves like this. */
export function paymentRailContract(name: string, make: () => PaymentRail.Port) {
  describe(`PaymentRail: ${name}`, () => {
    it("attaches a test card and lists it as the default", async () => {
      const { accountId } = await newAccount();
      const rail = make();
      await as(accountId, async () => {
        const setup = await rail.createSetup({ paymentMethod: "pm_card_visa" });
        expect(setup.status).toBe("succeeded");
        const methods = await rail.listMethods();
        expect(methods).toHaveLength(1);
        expect(methods[0]).toMatchObject({ id: setup.paymentMethodId, last4: "4242", isDefault: true });
      });
    });

    it("charges the default card once per idempotency key", async () => {
      const { accountId } = await newAccount();
      const rail = make();
      await as(accountId, async () => {
        await rail.createSetup({ paymentMethod: "pm_card_visa" });
        const first = await rail.charge({
          amount: 1200,
          currency: "usd",
          idempotencyKey: `k:${accountId}:1`,
        });
        const again = await rail.charge({
          amount: 1200,
          currency: "usd",
          idempotencyKey: `k:${accountId}:1`,
        });
        expect(first).toMatchObject({ status: "succeeded", amount: 1200, currency: "usd" });
        expect(again.id).toBe(first.id);
        expect((await rail.findCharge(`k:${accountId}:1`))?.id).toBe(first.id);
        expect(await rail.findCharge(`k:${accountId}:never`)).toBeNull();
      });
    });

    it("reports a declined card as a failed charge with its code", async () => {
      const { accountId } = await newAccount();
      const rail = make();
      await as(accountId, async () => {
        await rail.createSetup({ paymentMethod: "pm_card_insufficientFunds" });
        const charge = await rail.charge({
          amount: 500,
          currency: "usd",
          idempotencyKey: `k:${accountId}:d`,
        });
        expect(charge).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
      });
    });

    it("refunds part of a charge once per idempotency key", async () => {
      const { accountId } = await newAccount();
      const rail = make();
      await as(accountId, async () => {
        await rail.createSetup({ paymentMethod: "pm_card_visa" });
        const charge = await rail.charge({
          amount: 2000,
          currency: "usd",
          idempotencyKey: `k:${accountId}:c`,
        });
        const refund = await rail.refund({
          chargeId: charge.id,
          amount: 500,
          idempotencyKey: `k:${accountId}:r`,
        });
        expect(refund).toMatchObject({ chargeId: charge.id, amount: 500, status: "succeeded" });
      });
    });

    it("refuses to charge an account with no card on file", async () => {
      const { accountId } = await newAccount();
      const rail = make();
      await as(accountId, async () => {
        await expect(
          rail.charge({ amount: 100, currency: "usd", idempotencyKey: `k:${accountId}:n` }),
        ).rejects.toMatchObject({ code: "payment.no_method", kind: "payment" });
      });
    });
  });
}

/** Every CardIssuer adapter behaves like this. */
export function cardIssuerContract(name: string, make: () => CardIssuer.Port) {
  describe(`CardIssuer: ${name}`, () => {
    it("issues a capped card for the job with Luhn-valid details, once per key", async () => {
      const { accountId } = await newAccount();
      const job = await givenJob(accountId, { maxSpend: 2000 });
      const issuer = make();
      await as(accountId, async () => {
        const input = {
          jobId: job.id,
          vendor: "relay-mail",
          limit: 2000,
          currency: "usd",
          subscription: false,
          merchantDescriptor: "^RELAYMAIL\\*",
          idempotencyKey: `fg:${job.id}:card`,
        };
        const first = await issuer.issue(input);
        expect(first.card).toMatchObject({ jobId: job.id, limit: 2000, currency: "usd", status: "active" });
        expect(luhnValid(first.details.number)).toBe(true);
        expect(first.details.number.endsWith(first.card.last4)).toBe(true);
        expect(first.details.cvc).toMatch(/^\d{3}$/);
        expect(first.details.expiry).toMatch(/^(0[1-9]|1[0-2])\/\d{2}$/);
        const again = await issuer.issue(input);
        expect(again.card.id).toBe(first.card.id);
        expect(again.details).toEqual(first.details);
        expect(await Card.forJob({ jobId: job.id })).toHaveLength(1);
      });
    });

    it("freezes, sets a monthly limit and cancels; cancelling twice is harmless", async () => {
      const { accountId } = await newAccount();
      const job = await givenJob(accountId, { maxSpend: 900 });
      const issuer = make();
      await as(accountId, async () => {
        const { card } = await issuer.issue({
          jobId: job.id,
          vendor: "pixel-cdn",
          limit: 900,
          currency: "usd",
          subscription: true,
          merchantDescriptor: "^PIXELCDN\\*",
          idempotencyKey: `fg:${job.id}:card`,
        });
        expect((await issuer.freeze(card.id)).status).toBe("inactive");
        expect((await issuer.setMonthlyLimit(card.id, 900)).monthlyLimit).toBe(900);
        expect((await issuer.cancel(card.id)).status).toBe("canceled");
        expect((await issuer.cancel(card.id)).status).toBe("canceled");
        expect(await issuer.transactions(card.id)).toEqual([]);
      });
    });

    it("does not know another account's card", async () => {
      const owner = await newAccount();
      const other = await newAccount();
      const job = await givenJob(owner.accountId, { maxSpend: 500 });
      const issuer = make();
      const { card } = await as(owner.accountId, () =>
        issuer.issue({
          jobId: job.id,
          vendor: "relay-mail",
          limit: 500,
          currency: "usd",
          subscription: false,
          merchantDescriptor: "^RELAYMAIL\\*",
          idempotencyKey: `fg:${job.id}:card`,
        }),
      );
      await as(other.accountId, async () => {
        await expect(issuer.cancel(card.id)).rejects.toMatchObject({ code: "card.not_found" });
      });
    });
  });
}
