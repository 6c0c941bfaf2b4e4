import { z } from "zod";
import { Actor } from "../actor/index.ts";
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
