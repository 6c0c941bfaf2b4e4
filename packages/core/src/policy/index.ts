import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Ledger } from "../ledger/index.ts";
import { fn } from "../util/fn.ts";
import { PolicyEntity } from "./policy.entity.ts";

const Cents = z.number().int().min(0).max(10_000_000);

export namespace Policy {
  export const Info = z.object({
    /** null: every vendor allowed. */
    vendorAllowlist: z.array(z.string().min(1).max(2048)).max(500).nullable(),
    perJobCap: Cents,
    dailyCap: Cents,
    monthlyCap: Cents,
    /** Jobs whose maxSpend is above this wait for an explicit approval. */
    approvalThreshold: Cents,
    currency: z.enum(["usd", "eur", "gbp"]),
    allowRecurring: z.boolean(),
    retentionDays: z.number().int().min(1).max(3650),
  });
  export type Info = z.infer<typeof Info>;

  export const defaults: Info = {
    vendorAllowlist: null,
    perJobCap: 10_000,
    dailyCap: 25_000,
    monthlyCap: 100_000,
    approvalThreshold: 5_000,
    currency: "usd",
    allowRecurring: false,
    retentionDays: 90,
  };

  export const get = fn(z.object({}).strict().default({}), async (): Promise<Info> => {
    const accountId = Actor.accountId();
    const found = await PolicyEntity.get({ accountId }).go({ consistent: true });
    if (!found.data) return { ...defaults };
    const {
      vendorAllowlist,
      perJobCap,
      dailyCap,
      monthlyCap,
      approvalThreshold,
      currency,
      allowRecurring,
      retentionDays,
    } = found.data;
    return Info.parse({
      vendorAllowlist: vendorAllowlist ?? null,
      perJobCap,
      dailyCap,
      monthlyCap,
      approvalThreshold,
      currency,
      allowRecurring,
      retentionDays,
    });
  });

  export const Outcome = z.enum(["allow", "needs_approval", "deny"]);
  export type Outcome = z.infer<typeof Outcome>;

  export const CheckResult = z.object({
    outcome: Outcome,
    reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  });
  export type CheckResult = z.infer<typeof CheckResult>;

  /**
   * Whether a job may spend `amount` at `vendor`: the allowlist and caps deny, the approval threshold asks
   * for a human. Daily and monthly caps count money net charged to the card on file (from the ledger).
   */
  export const check = fn(
    z
      .object({
        vendor: z.string().min(1).max(2048),
        amount: Cents,
        currency: z.enum(["usd", "eur", "gbp"]),
      })
      .strict(),
    async ({ vendor, amount, currency }): Promise<CheckResult> => {
      const policy = await get({});
      const deny: CheckResult["reasons"] = [];
      if (policy.vendorAllowlist && !policy.vendorAllowlist.includes(vendor)) {
        deny.push({ code: "policy.vendor_not_allowed", message: `${vendor} is not on the vendor allowlist` });
      }
      if (amount > 0) {
        if (currency !== policy.currency) {
          deny.push({
            code: "policy.currency",
            message: `Spending caps are in ${policy.currency}; this job spends ${currency}`,
          });
        }
        if (amount > policy.perJobCap) {
          deny.push({
            code: "policy.per_job_cap",
            message: `${amount} exceeds the per-job cap of ${policy.perJobCap}`,
          });
        }
        const now = new Date();
        const day = await Ledger.netChargedSince(
          new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())),
        );
        if (day + amount > policy.dailyCap) {
          deny.push({
            code: "policy.daily_cap",
            message: `${amount} on top of ${day} charged today exceeds the daily cap of ${policy.dailyCap}`,
          });
        }
        const month = await Ledger.netChargedSince(
          new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        );
        if (month + amount > policy.monthlyCap) {
          deny.push({
            code: "policy.monthly_cap",
            message: `${amount} on top of ${month} charged this month exceeds the monthly cap of ${policy.monthlyCap}`,
          });
        }
      }
      if (deny.length > 0) return { outcome: "deny", reasons: deny };
      if (amount > policy.approvalThreshold) {
        return {
          outcome: "needs_approval",
          reasons: [
            {
              code: "policy.approval_threshold",
              message: `${amount} is above the approval threshold of ${policy.approvalThreshold}`,
            },
          ],
        };
      }
      return { outcome: "allow", reasons: [] };
    },
  );

  /** Changes the given fields and keeps the rest (defaults for a policy never stored). */
  export const put = fn(Info.partial().strict(), async (input): Promise<Info> => {
    Actor.assertScope("admin");
    const accountId = Actor.accountId();
    const next = Info.parse({ ...(await get({})), ...input });
    const { vendorAllowlist, ...rest } = next;
    await PolicyEntity.put({ accountId, ...rest, ...(vendorAllowlist ? { vendorAllowlist } : {}) }).go();
    return next;
  });
}
