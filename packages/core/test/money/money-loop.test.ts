import { describe, expect, it } from "vitest";
import { Card, CardNetwork, JobEvent, Ledger, Money } from "../../src/index.ts";
import { accountWithCard, cardDetails, givenJob, moveTo, system } from "./fixtures.ts";

describe("sandbox money loop", () => {
  it("refunds the unspent difference when the vendor charges less", async () => {
    const accountId = await accountWithCard();
    const job = await givenJob(accountId, { maxSpend: 2000 });
    const charge = await system(accountId, () => Money.chargeForJob({ jobId: job.id }));
    expect(charge).toMatchObject({ status: "charged", amount: 2000, currency: "usd" });
    await moveTo(accountId, job.id, "issuing_card");
    const issued = await system(accountId, () => Money.issueCardForJob({ jobId: job.id }));
    expect(issued).toMatchObject({ status: "issued", limit: 2000 });
    await moveTo(accountId, job.id, "provisioning");

    const card = await cardDetails(accountId, issued.vaultRef!);
    const auth = await CardNetwork.authorize({
      card,
      merchant: { name: "RELAYMAIL* STARTER PLAN" },
      amount: 1500,
      currency: "usd",
    });
    expect(auth).toMatchObject({ approved: true });
    const capture = await CardNetwork.capture({ authorizationId: auth.authorizationId!, amount: 1500 });
    expect(capture.captured).toBe(true);

    await moveTo(accountId, job.id, "settling");
    const settled = await system(accountId, () => Money.settleJob({ jobId: job.id }));
    expect(settled).toMatchObject({ outcome: "settled", card: "canceled", refunded: 500 });
    await system(accountId, async () => {
      expect(await Ledger.reconcile({ jobId: job.id })).toMatchObject({
        captured: 2000,
        spent: 1500,
        refunded: 500,
        balanced: true,
        matchesJob: true,
      });
      expect((await Ledger.verify()).valid).toBe(true);
      expect((await Card.get({ id: issued.cardId! })).status).toBe("canceled");
      const types = (await JobEvent.list({ jobId: job.id })).map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining(["payment.captured", "card.issued", "card.authorization", "refund.issued"]),
      );
    });
  });
});
