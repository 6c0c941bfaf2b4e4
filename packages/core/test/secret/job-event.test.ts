import { describe, expect, it } from "vitest";
import { Account, Actor, Job, JobEvent, Secrets } from "../../src/index.ts";

describe("job events", () => {
  it("are stored with every registered secret replaced by its {{NAME}}", async () => {
    const { account } = await Account.signup({ email: `events-${Date.now()}@example.com` });
    await Actor.system("test", account.id, async () => {
      const job = await Job.create({
        vendor: "relay-mail",
        goal: "api_key",
        maxSpend: { amount: 0, currency: "usd" },
      });
      const secrets = Secrets.forJob(job.id);
      secrets.register("PASSWORD", "Tr0ub4dor&3-horse");
      secrets.register("EXTRACTED_KEY", "rm_live_0123456789abcdef");
      const written = await JobEvent.append({
        jobId: job.id,
        type: "agent.action",
        data: {
          action: "type",
          text: "typed Tr0ub4dor&3-horse into Password",
          url: "https://relay.example/cb?pw=Tr0ub4dor%263-horse",
          found: ["rm_live_0123456789abcdef"],
        },
      });
      expect(written.data).toEqual({
        action: "type",
        text: "typed {{PASSWORD}} into Password",
        url: "https://relay.example/cb?pw={{PASSWORD}}",
        found: ["{{EXTRACTED_KEY}}"],
      });
      const stored = await JobEvent.list({ jobId: job.id });
      const text = JSON.stringify(stored);
      expect(text).not.toContain("Tr0ub4dor");
      expect(text).not.toContain("rm_live_0123456789abcdef");
      Secrets.release(job.id);
    });
  });
});
