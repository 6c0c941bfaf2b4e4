import { describe, expect, it } from "vitest";
import { Account, Actor, RateLimit } from "../../src/index.ts";
import { RateLimitCounterEntity } from "../../src/rate-limit/rate-limit-counter.entity.ts";

async function account() {
  const { account } = await Account.signup({
    email: `rl-${Math.random().toString(36).slice(2)}@example.com`,
  });
  return account.id;
}

describe("RateLimit", () => {
  it("allows exactly the budget of sequential hits and stores the count in DynamoDB", async () => {
    const accountId = await account();
    await Actor.system("test", accountId, async () => {
      const results = [];
      for (let i = 0; i < 130; i++)
        results.push(await RateLimit.hit({ subject: "key_a", limit: 100, windowSeconds: 3600 }));
      expect(results.filter((r) => r.allowed)).toHaveLength(100);
      expect(results.at(-1)).toMatchObject({ allowed: false, remaining: 0 });
      const window = Math.floor(Date.now() / 1000 / 3600);
      const stored = await RateLimitCounterEntity.get({ accountId, subject: "key_a", window }).go();
      expect(stored.data?.count).toBe(130);
    });
  });

  it("never allows more than the budget when hits race", async () => {
    const accountId = await account();
    await Actor.system("test", accountId, async () => {
      const results = await Promise.all(
        Array.from({ length: 150 }, () =>
          RateLimit.hit({ subject: "key_b", limit: 100, windowSeconds: 3600 }),
        ),
      );
      const allowed = results.filter((r) => r.allowed).length;
      expect(allowed).toBeLessThanOrEqual(100);
      expect(allowed).toBeGreaterThan(50);
    });
  });

  it("counts the hits other API instances wrote to the shared counter", async () => {
    const accountId = await account();
    const window = Math.floor(Date.now() / 1000 / 3600);
    await RateLimitCounterEntity.update({ accountId, subject: "key_e", window }).add({ count: 99 }).go();
    await Actor.system("test", accountId, async () => {
      const first = await RateLimit.hit({ subject: "key_e", limit: 100, windowSeconds: 3600 });
      expect(first).toMatchObject({ allowed: true, remaining: 0 });
      expect((await RateLimit.hit({ subject: "key_e", limit: 100, windowSeconds: 3600 })).allowed).toBe(
        false,
      );
    });
  });

  it("keeps budgets apart per key and per account", async () => {
    const a = await account();
    const b = await account();
    const hit = (accountId: string, subject: string) =>
      Actor.system("test", accountId, () => RateLimit.hit({ subject, limit: 1, windowSeconds: 3600 }));
    expect((await hit(a, "key_c")).allowed).toBe(true);
    expect((await hit(a, "key_c")).allowed).toBe(false);
    expect((await hit(a, "key_d")).allowed).toBe(true);
    expect((await hit(b, "key_c")).allowed).toBe(true);
  });
});
