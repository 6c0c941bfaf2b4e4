import { Actor, Job, PaymentRail, Vault } from "../../src/index.ts";
import { as, newAccount } from "../helpers.ts";

export { as, newAccount };

export const system = <R>(accountId: string, cb: () => R): R => Actor.system("test", accountId, cb);

/** An account with a card on file (a Stripe test token). */
export async function accountWithCard(paymentMethod = "pm_card_visa"): Promise<string> {
  const { accountId } = await newAccount();
  await as(accountId, () => PaymentRail.addCard({ paymentMethod }));
  return accountId;
}

export async function givenJob(
  accountId: string,
  input: { maxSpend?: number; vendor?: string; goal?: Job.Goal; plan?: string } = {},
): Promise<Job.Info> {
  return system(accountId, async () => {
    const job = await Job.create({
      vendor: input.vendor ?? "relay-mail",
      goal: input.goal ?? "api_key",
      ...(input.plan ? { plan: input.plan } : {}),
      maxSpend: { amount: input.maxSpend ?? 2000, currency: "usd" },
    });
    await Job.transition({ id: job.id, to: "planning" });
    await Job.transition({ id: job.id, to: "charging" });
    return job;
  });
}

export async function moveTo(accountId: string, jobId: string, ...statuses: Job.Status[]): Promise<void> {
  await system(accountId, async () => {
    for (const to of statuses) await Job.transition({ id: jobId, to });
  });
}

export interface CardDetails {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

export async function cardDetails(accountId: string, vaultRef: string): Promise<CardDetails> {
  return system(
    accountId,
    async () => JSON.parse(await Vault.use().get(vaultRef, { reason: "test checkout" })) as CardDetails,
  );
}
