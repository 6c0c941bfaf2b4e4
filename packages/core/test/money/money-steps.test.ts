import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { Card, CardNetwork, JobEvent, Ledger, Money, Policy, Store, Vault } from "../../src/index.ts";
import { accountWithCard, as, cardDetails, givenJob, moveTo, newAccount, system } from "./fixtures.ts";

async function chargedAndIssued(
  accountId: string,
  maxSpend = 2000,
  extra: Parameters<typeof givenJob>[1] = {},
) {
  const job = await givenJob(accountId, { maxSpend, ...extra });
  await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "issuing_card");
  const issued = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
  await moveTo(accountId, job.id, "provisioning");
  return { job, issued, card: await cardDetails(accountId, issued.vaultRef!) };
}

async function spend(
  card: Awaited<ReturnType<typeof cardDetails>>,
  amount: number,
  merchant = "RELAYMAIL* STARTER",
) {
  const auth = await CardNetwork.authorize({ card, merchant: { name: merchant }, amount, currency: "usd" });
  expect(auth.approved).toBe(true);
  return CardNetwork.capture({ authorizationId: auth.authorizationId!, amount });
}

describe("job money steps", () => {
  it("charges once: a second chargeForJob returns the first result and moves no money", async () => {
    const accountId = await accountWithCard();
    const job = await givenJob(accountId, { maxSpend: 1500 });
    const first = await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
    const second = await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
    expect(second).toEqual(first);
    await system(accountId, async () => {
      expect((await Ledger.forJob(job.id)).filter((e) => e.kind === "charge")).toHaveLength(1);
      expect((await Ledger.reconcile({ jobId: job.id })).captured).toBe(1500);
    });
  });

  it("issues one card: a second issueCardForJob returns the same card and vault secret", async () => {
    const accountId = await accountWithCard();
    const { job, issued } = await chargedAndIssued(accountId);
    const again = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
    expect(again).toEqual(issued);
    await system(accountId, async () => {
      expect(await Card.forJob({ jobId: job.id })).toHaveLength(1);
      expect(await Vault.use().list({ jobId: job.id, kind: "card" })).toHaveLength(1);
    });
  });

  it("stops at a declined card on file: clear reason, nothing issued, nothing to refund", async () => {
    const accountId = await accountWithCard("pm_card_chargeDeclined");
    const job = await givenJob(accountId, { maxSpend: 2000 });
    const failure = await system(accountId, () => Money.chargeForJob({ jobId: job.id })).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ kind: "payment", code: "payment.declined" });
    expect((failure as Error).message).toMatch(/declined.*card_declined.*cannot proceed/);
    await expect(system(accountId, () => Money.chargeForJob({ jobId: job.id }))).rejects.toMatchObject({
      code: "payment.declined",
    });
    await expect(system(accountId, () => Money.issueCardForJob({ jobId: job.id }))).rejects.toMatchObject({
      code: "money.not_charged",
    });
    await moveTo(accountId, job.id, "failed");
    const closed = await system(accountId, () =>
      Money.compensateJob({ jobId: job.id, reason: "card declined" }),
    );
    expect(closed).toMatchObject({
      card: "none",
      refunded: 0,
      reconciliation: { captured: 0, balanced: true },
    });
    await system(accountId, async () => {
      expect(await Card.forJob({ jobId: job.id })).toEqual([]);
      expect(await Ledger.forJob(job.id)).toEqual([]);
      const failed = (await JobEvent.list({ jobId: job.id })).find((e) => e.type === "payment.failed");
      expect(failed?.data).toMatchObject({ code: "card_declined" });
    });
  });

  it("reports insufficient funds as its own reason", async () => {
    const accountId = await accountWithCard("pm_card_insufficientFunds");
    const job = await givenJob(accountId, { maxSpend: 700 });
    await expect(system(accountId, () => Money.chargeForJob({ jobId: job.id }))).rejects.toThrow(
      /insufficient_funds/,
    );
  });

  it("refunds everything and cancels the card when the job fails after the charge", async () => {
    const accountId = await accountWithCard();
    const { job, issued } = await chargedAndIssued(accountId, 2500);
    await moveTo(accountId, job.id, "failed");
    const closed = await system(accountId, () =>
      Money.compensateJob({ jobId: job.id, reason: "signup page broke" }),
    );
    expect(closed).toMatchObject({
      outcome: "compensated",
      card: "canceled",
      refunded: 2500,
      reason: "signup page broke",
    });
    await system(accountId, async () => {
      expect((await Card.get({ id: issued.cardId! })).status).toBe("canceled");
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({
        captured: 2500,
        spent: 0,
        refunded: 2500,
        balanced: true,
        matchesJob: true,
      });
      const event = (await JobEvent.list({ jobId: job.id })).find((e) => e.type === "money.compensated");
      expect(event?.data).toMatchObject({ reason: "signup page broke", refunded: 2500 });
      expect(await Vault.use().list({ jobId: job.id, kind: "card" })).toEqual([]);
    });
  });

  it("refunds only what was not spent when the job fails after a purchase", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await chargedAndIssued(accountId, 2000);
    await spend(card, 1500);
    await moveTo(accountId, job.id, "canceled");
    const closed = await system(accountId, () =>
      Money.compensateJob({ jobId: job.id, reason: "canceled by user" }),
    );
    expect(closed).toMatchObject({
      refunded: 500,
      reconciliation: { captured: 2000, spent: 1500, refunded: 500 },
    });
  });

  it("does one refund when two settleJob calls race", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await chargedAndIssued(accountId, 2000);
    await spend(card, 1200);
    await moveTo(accountId, job.id, "settling");
    const [a, b] = await Promise.all([
      system(accountId, () => Money.settleJob({ jobId: job.id })),
      system(accountId, () => Money.settleJob({ jobId: job.id })),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ refunded: 800 });
    const third = await system(accountId, () => Money.settleJob({ jobId: job.id }));
    expect(third).toEqual(a);
    await system(accountId, async () => {
      expect((await Ledger.forJob(job.id)).filter((e) => e.kind === "refund")).toHaveLength(1);
      expect((await JobEvent.list({ jobId: job.id })).filter((e) => e.type === "refund.issued")).toHaveLength(
        1,
      );
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({
        refunded: 800,
        balanced: true,
        matchesJob: true,
      });
    });
  });

  it("never touches money for a free job", async () => {
    const accountId = await accountWithCard();
    const job = await givenJob(accountId, { maxSpend: 0, vendor: "nimbus-db" });
    await system(accountId, async () => {
      expect(await Money.chargeForJob({ jobId: job.id })).toMatchObject({
        status: "skipped",
        chargeId: null,
      });
      expect(await Money.issueCardForJob({ jobId: job.id })).toMatchObject({
        status: "skipped",
        cardId: null,
      });
      expect(await Money.settleJob({ jobId: job.id })).toMatchObject({ card: "none", refunded: 0 });
      expect(await Ledger.forJob(job.id)).toEqual([]);
    });
  });

  it("refuses to charge for a vendor outside the allowlist", async () => {
    const accountId = await accountWithCard();
    await as(accountId, () => Policy.put({ vendorAllowlist: ["nimbus-db"] }));
    const job = await givenJob(accountId, { maxSpend: 1000 });
    await expect(system(accountId, () => Money.chargeForJob({ jobId: job.id }))).rejects.toMatchObject({
      kind: "forbidden",
      code: "policy.vendor_not_allowed",
    });
    await system(accountId, async () => expect(await Ledger.forJob(job.id)).toEqual([]));
  });

  it("keeps card details out of events, the ledger, errors and every stored attribute", async () => {
    const accountId = await accountWithCard();
    const { job, card } = await chargedAndIssued(accountId, 2000);
    await spend(card, 1000);
    const declined = await CardNetwork.authorize({
      card,
      merchant: { name: "EVIL* SHOP" },
      amount: 100,
      currency: "usd",
    });
    expect(declined.approved).toBe(false);
    const badCvc = await CardNetwork.authorize({
      card: { ...card, cvc: card.cvc === "000" ? "001" : "000" },
      merchant: { name: "RELAYMAIL*" },
      amount: 100,
      currency: "usd",
    });
    expect(badCvc).toMatchObject({ approved: false, reason: "cvc_mismatch" });
    await moveTo(accountId, job.id, "settling");
    await system(accountId, () => Money.settleJob({ jobId: job.id }));
    const everything = await system(accountId, async () =>
      JSON.stringify({
        events: await JobEvent.list({ jobId: job.id }),
        ledger: await Ledger.entries(),
        responses: [declined, badCvc],
      }),
    );
    const table = await Store.client().send(new ScanCommand({ TableName: Store.table() }));
    const raw = JSON.stringify(table.Items);
    expect(everything).not.toContain(card.number);
    expect(raw).not.toContain(card.number);
    expect(raw).not.toContain(card.number.slice(0, 12));
    // A CVC or an expiry is short enough to occur inside ids and hashes; no stored field holds one as its value.
    for (const value of [card.cvc, card.expiry]) {
      expect(everything).not.toContain(`"${value}"`);
      expect(raw).not.toContain(`"${value}"`);
    }
  });

  it("scopes money state to the account", async () => {
    const accountId = await accountWithCard();
    const other = (await newAccount()).accountId;
    const job = await givenJob(accountId, { maxSpend: 1000 });
    await expect(system(other, () => Money.chargeForJob({ jobId: job.id }))).rejects.toMatchObject({
      code: "job.not_found",
    });
  });
});
