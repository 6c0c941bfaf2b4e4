import { describe, expect, it } from "vitest";
import { Account, Actor, Job } from "../src/index.ts";

describe("smoke", () => {
  it("creates an account and a job", async () => {
    const { account } = await Account.signup({ email: `a${Date.now()}@example.com` });
    const job = await Actor.system("test", account.id, () =>
      Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
    );
    expect(job.status).toBe("queued");
  });
});
