import { Actor, ApiKey } from "@fg/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetKey, verifyCached } from "../src/api/middleware/key-cache.ts";
import { signup } from "./helpers.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the verified-key cache", () => {
  it("verifies a key once for many concurrent requests that find it uncached", async () => {
    const { key } = await signup();
    const verify = vi.spyOn(ApiKey, "verify");
    const actors = await Promise.all(Array.from({ length: 30 }, () => verifyCached(key)));
    expect(new Set(actors.map((a) => a?.properties.accountId)).size).toBe(1);
    expect(actors[0]?.type).toBe("account");
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("does not let a verification that raced a revocation bring the key back", async () => {
    const { key } = await signup();
    const owner = await verifyCached(key);
    if (!owner) throw new Error("the new key did not verify");
    const apiKeyId = owner.properties.apiKeyId as string;
    forgetKey(apiKeyId);
    const original = ApiKey.verify;
    let release: () => void = () => {};
    const revoked = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first verification reads the key while it is still valid and answers only after the revocation.
    vi.spyOn(ApiKey, "verify").mockImplementationOnce(async (input) => {
      const before = await original(input);
      await revoked;
      return before;
    });
    const racing = verifyCached(key);
    await Actor.provide(owner, () => ApiKey.revoke({ id: apiKeyId }));
    forgetKey(apiKeyId);
    release();
    expect(await racing).toBeUndefined();
    expect(await verifyCached(key)).toBeUndefined();
  });
});
