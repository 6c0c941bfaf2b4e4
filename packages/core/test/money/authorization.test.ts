import { describe, expect, it } from "vitest";
import { Card, CardNetwork, JobEvent, Ledger, Money, Policy } from "../../src/index.ts";
import { accountWithCard, as, cardDetails, givenJob, moveTo, system } from "./fixtures.ts";

async function liveCard(accountId: string, input: Parameters<typeof givenJob>[1] = {}) {
  const job = await givenJob(accountId, input);
  await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "issuing_card");
  const issued = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "provisioning");
  return { job, issued, card: await cardDetails(accountId, issued.vaultRef!) };
}

type Details = Awaited<ReturnType<typeof cardDetails>>;

const attempt = (card: Details, amount: number, merchant = "RELAYMAIL* STARTER", currency = "usd") =>
  CardNetwork.authorize({ card, merchant: { name: merchant }, amount, currency });

async function decisions(accountId: string, jobId: string) {
  return system(accountId, async () =>
    (await JobEvent.list({ jobId })).filter((e) => e.type === "card.authorization").map((e) => e.data),
  );
}

describe("real-time authorization decisions", () => {
  it("approves the vendor's merchant within the limit and records the decision as a job event", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await liveCard(accountId, { maxSpend: 2000 });
    expect(await attempt(card, 2000)).toMatchObject({ approved: true });
    expect(await decisions(accountId, job.id)).toEqual([
      expect.objectContaining({
        approved: true,
        reason: "within_job_limit",
        amount: 2000,
        merchant: "RELAYMAIL* STARTER",
      }),
    ]);
  });

  it("declines another merchant", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await liveCard(accountId);
    expect(await attempt(card, 500, "PIXELCDN* PRO")).toEqual({
      approved: false,
      authorizationId: expect.stringMatching(/^iauth_/),
      reason: "merchant_mismatch",
    });
    expect(await decisions(accountId, job.id)).toEqual([
      expect.objectContaining({ approved: false, reason: "merchant_mismatch" }),
    ]);
  });

  it("declines an amount over what is left of the limit", async () => {
    const accountId = await accountWithCard();
    const { card } = await liveCard(accountId, { maxSpend: 2000 });
    expect(await attempt(card, 2001)).toMatchObject({ approved: false, reason: "over_limit" });
    expect(await attempt(card, 1500)).toMatchObject({ approved: true });
    expect(await attempt(card, 600)).toMatchObject({ approved: false, reason: "over_limit" });
  });

  it("approves only one of two concurrent authorizations that together exceed the limit", async () => {
    const accountId = await accountWithCard();
    const { card } = await liveCard(accountId, { maxSpend: 2000 });
    const results = await Promise.all([attempt(card, 1500), attempt(card, 1500)]);
    expect(results.filter((r) => r.approved)).toHaveLength(1);
    expect(results.find((r) => !r.approved)).toMatchObject({ reason: "over_limit" });
  });

  it("declines a different currency, a wrong CVC, a wrong expiry and an unknown card", async () => {
    const accountId = await accountWithCard();
    const { card } = await liveCard(accountId);
    expect(await attempt(card, 100, "RELAYMAIL*", "eur")).toMatchObject({
      approved: false,
      reason: "currency_mismatch",
    });
    const wrongCvc = { ...card, cvc: String((Number(card.cvc) + 1) % 1000).padStart(3, "0") };
    expect(await attempt(wrongCvc, 100)).toMatchObject({ approved: false, reason: "cvc_mismatch" });
    expect(await attempt({ ...card, expiry: "01/20" }, 100)).toMatchObject({
      approved: false,
      reason: "expiry_mismatch",
    });
    const unknown = { ...card, number: "4000000000000002" };
    expect(await attempt(unknown, 100)).toEqual({ approved: false, reason: "unknown_card" });
  });

  it("declines once the job has ended, before and after its money is settled", async () => {
    const accountId = await accountWithCard();
    const { job, card, issued } = await liveCard(accountId);
    await moveTo(accountId, job.id, "failed");
    expect(await attempt(card, 100)).toMatchObject({ approved: false, reason: "job_not_active" });
    await system(accountId, () => Money.compensateJob({ jobId: job.id, reason: "failed" }));
    expect(await attempt(card, 100)).toMatchObject({ approved: false, reason: "card_not_active" });
    expect((await system(accountId, () => Card.get({ id: issued.cardId! }))).status).toBe("canceled");
  });

  it("answers a repeated authorization request with the first decision", async () => {
    const accountId = await accountWithCard();
    const { job, issued } = await liveCard(accountId, { maxSpend: 1000 });
    const card = await system(accountId, () => Card.get({ id: issued.cardId! }));
    const request = {
      id: "iauth_repeat_1",
      amount: 0,
      currency: "usd",
      card: { id: card.providerCardId },
      merchant_data: { name: "RELAYMAIL* X" },
      pending_request: { amount: 800, currency: "usd" },
    };
    const first = await Card.authorize({ provider: "sandbox", authorization: request });
    const second = await Card.authorize({ provider: "sandbox", authorization: request });
    expect(first).toEqual({ approved: true, reason: "within_job_limit", authorizationId: "iauth_repeat_1" });
    expect(second).toEqual(first);
    expect((await system(accountId, () => Card.get({ id: card.id }))).held).toBe(800);
    expect(await decisions(accountId, job.id)).toHaveLength(1);
  });

  it("refuses captures beyond the authorization and a second capture of it", async () => {
    const accountId = await accountWithCard();
    const { card } = await liveCard(accountId);
    const auth = await attempt(card, 1000);
    await expect(
      CardNetwork.capture({ authorizationId: auth.authorizationId!, amount: 1001 }),
    ).rejects.toMatchObject({
      code: "network.over_capture",
    });
    await CardNetwork.capture({ authorizationId: auth.authorizationId!, amount: 1000 });
    await expect(
      CardNetwork.capture({ authorizationId: auth.authorizationId!, amount: 1000 }),
    ).rejects.toMatchObject({
      code: "network.already_captured",
    });
  });

  it("takes a vendor refund back out of the job's spend", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await liveCard(accountId, { maxSpend: 2000 });
    const auth = await attempt(card, 1500);
    const { transactionId } = await CardNetwork.capture({
      authorizationId: auth.authorizationId!,
      amount: 1500,
    });
    await CardNetwork.refund({ transactionId, amount: 1500 });
    await expect(CardNetwork.refund({ transactionId, amount: 1 })).rejects.toMatchObject({
      code: "network.over_refund",
    });
    await moveTo(accountId, job.id, "settling");
    const settled = await system(accountId, () => Money.settleJob({ jobId: job.id }));
    expect(settled.reconciliation).toMatchObject({
      captured: 2000,
      spent: 0,
      refunded: 2000,
      balanced: true,
    });
  });
});

describe("recurring charges on a kept subscription card", () => {
  async function keptSubscription() {
    const accountId = await accountWithCard();
    const { job, card, issued } = await liveCard(accountId, {
      maxSpend: 1500,
      goal: "subscription",
      plan: "starter",
    });
    const first = await attempt(card, 1500);
    await CardNetwork.capture({ authorizationId: first.authorizationId!, amount: 1500 });
    await moveTo(accountId, job.id, "settling");
    const settled = await system(accountId, () => Money.settleJob({ jobId: job.id }));
    expect(settled).toMatchObject({ card: "kept", refunded: 0 });
    await moveTo(accountId, job.id, "succeeded");
    const kept = await system(accountId, () => Card.get({ id: issued.cardId! }));
    expect(kept).toMatchObject({ status: "active", monthlyLimit: 1500 });
    return { accountId, job, card };
  }

  it("declines a renewal unless the policy allows recurring charges", async () => {
    const { accountId, job, card } = await keptSubscription();
    expect(await attempt(card, 1500, "RELAYMAIL* RENEWAL")).toMatchObject({
      approved: false,
      reason: "recurring_not_allowed",
    });
    expect((await decisions(accountId, job.id)).at(-1)).toMatchObject({
      recurring: true,
      reason: "recurring_not_allowed",
    });
  });

  it("approves a renewal within the monthly limit and re-bills the card on file for it", async () => {
    const { accountId, job, card } = await keptSubscription();
    await as(accountId, () => Policy.put({ allowRecurring: true }));
    const renewal = await attempt(card, 1500, "RELAYMAIL* RENEWAL");
    expect(renewal).toMatchObject({ approved: true });
    await CardNetwork.capture({ authorizationId: renewal.authorizationId!, amount: 1500 });
    await system(accountId, async () => {
      const entries = await Ledger.forJob(job.id);
      expect(entries.map((e) => e.kind)).toEqual([
        "charge",
        "authorization",
        "capture",
        "authorization",
        "capture",
        "recurring_charge",
      ]);
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({
        captured: 3000,
        spent: 3000,
        refunded: 0,
        balanced: true,
        matchesJob: true,
      });
      const captured = (await JobEvent.list({ jobId: job.id })).filter((e) => e.type === "payment.captured");
      expect(captured.at(-1)?.data).toMatchObject({ amount: 1500, recurring: true });
    });
  });

  it("declines a renewal above the monthly limit or the account's monthly cap", async () => {
    const { accountId, card } = await keptSubscription();
    await as(accountId, () => Policy.put({ allowRecurring: true }));
    expect(await attempt(card, 1600, "RELAYMAIL*")).toMatchObject({
      approved: false,
      reason: "over_monthly_limit",
    });
    await as(accountId, () => Policy.put({ monthlyCap: 2000 }));
    expect(await attempt(card, 1000, "RELAYMAIL*")).toMatchObject({
      approved: false,
      reason: "over_monthly_cap",
    });
  });
});
