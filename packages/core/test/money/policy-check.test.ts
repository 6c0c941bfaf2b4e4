import { describe, expect, it } from "vitest";
import { Money, Policy } from "../../src/index.ts";
import { accountWithCard, as, givenJob, moveTo, system } from "./fixtures.ts";

describe("Policy.check", () => {
  it("allows a small job, asks for approval above the threshold and denies above the per-job cap", async () => {
    const accountId = await accountWithCard();
    await as(accountId, async () => {
      await Policy.put({ approvalThreshold: 2000, perJobCap: 5000 });
      expect(await Policy.check({ vendor: "relay-mail", amount: 1500, currency: "usd" })).toEqual({
        outcome: "allow",
        reasons: [],
      });
      expect(await Policy.check({ vendor: "relay-mail", amount: 3000, currency: "usd" })).toMatchObject({
        outcome: "needs_approval",
        reasons: [{ code: "policy.approval_threshold" }],
      });
      expect(await Policy.check({ vendor: "relay-mail", amount: 6000, currency: "usd" })).toMatchObject({
        outcome: "deny",
        reasons: [{ code: "policy.per_job_cap" }],
      });
    });
  });

  it("denies vendors outside the allowlist even for free jobs", async () => {
    const accountId = await accountWithCard();
    await as(accountId, async () => {
      await Policy.put({ vendorAllowlist: ["nimbus-db"] });
      expect((await Policy.check({ vendor: "nimbus-db", amount: 0, currency: "usd" })).outcome).toBe("allow");
      expect(await Policy.check({ vendor: "pixel-cdn", amount: 0, currency: "usd" })).toMatchObject({
        outcome: "deny",
        reasons: [{ code: "policy.vendor_not_allowed" }],
      });
    });
  });

  it("counts today's and this month's net charges from the ledger against the caps", async () => {
    const accountId = await accountWithCard();
    await as(accountId, () => Policy.put({ dailyCap: 3000, monthlyCap: 4000 }));
    const first = await givenJob(accountId, { maxSpend: 2500 });
    await system(accountId, () => Money.chargeForJob({ jobId: first.id }));
    await as(accountId, async () => {
      expect(await Policy.check({ vendor: "relay-mail", amount: 1000, currency: "usd" })).toMatchObject({
        outcome: "deny",
        reasons: [{ code: "policy.daily_cap" }],
      });
    });
    await moveTo(accountId, first.id, "failed");
    await system(accountId, () => Money.compensateJob({ jobId: first.id, reason: "refund frees the cap" }));
    await as(accountId, async () => {
      expect((await Policy.check({ vendor: "relay-mail", amount: 1000, currency: "usd" })).outcome).toBe(
        "allow",
      );
      const big = await Policy.check({ vendor: "relay-mail", amount: 4500, currency: "usd" });
      expect(big.outcome).toBe("deny");
      expect(big.reasons.map((r) => r.code)).toEqual(["policy.daily_cap", "policy.monthly_cap"]);
    });
  });
});
