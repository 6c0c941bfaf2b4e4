import { describe, expect, it } from "vitest";
import { Account, Actor, ApiKey, Policy, VendorState } from "../src/index.ts";
import { as, newAccount } from "./helpers.ts";

describe("Account and ApiKey", () => {
  it("signs up with a first admin key whose secret verifies to the account", async () => {
    const { account, apiKey } = await Account.signup({ email: "Ada@Example.com" });
    expect(account.email).toBe("ada@example.com");
    expect(apiKey.secret).toMatch(/^fg_sk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.secret.startsWith(apiKey.prefix)).toBe(true);
    const actor = await ApiKey.verify({ secret: apiKey.secret });
    expect(actor).toEqual({
      type: "account",
      properties: { accountId: account.id, apiKeyId: apiKey.id, scopes: ["admin"] },
    });
  });

  it("rejects a second account with the same email as a conflict", async () => {
    await Account.create({ email: "twice@example.com" });
    await expect(Account.create({ email: "TWICE@example.com" })).rejects.toMatchObject({
      kind: "conflict",
      code: "account.email_taken",
    });
  });

  it("stores only the hash: list shows prefixes, never secrets; revoked keys stop verifying", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const key = await ApiKey.create({ name: "ci", scopes: ["jobs:read"] });
      const listed = await ApiKey.list({});
      expect(JSON.stringify(listed)).not.toContain(key.secret);
      expect(listed.find((k) => k.id === key.id)).toMatchObject({
        name: "ci",
        prefix: key.prefix,
        revokedAt: null,
      });
      expect(await ApiKey.verify({ secret: key.secret })).toBeDefined();
      await ApiKey.revoke({ id: key.id });
      expect(await ApiKey.verify({ secret: key.secret })).toBeUndefined();
    });
    expect(await ApiKey.verify({ secret: "fg_sk_unknown" })).toBeUndefined();
  });

  it("records when a key was last used", async () => {
    const { accountId, secret } = await newAccount();
    await ApiKey.verify({ secret });
    const [key] = await as(accountId, () => ApiKey.list({}));
    expect(key?.lastUsedAt).not.toBeNull();
  });

  it("needs the admin scope to mint keys", async () => {
    const { accountId } = await newAccount();
    await Actor.provide({ type: "account", properties: { accountId, scopes: ["jobs:read"] } }, async () => {
      await expect(ApiKey.create({})).rejects.toMatchObject({ kind: "forbidden" });
    });
  });
});

describe("Policy", () => {
  it("returns defaults until set, then merges changes into them", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      expect(await Policy.get({})).toEqual(Policy.defaults);
      const next = await Policy.put({ perJobCap: 2000, vendorAllowlist: ["nimbus-db"] });
      expect(next).toEqual({ ...Policy.defaults, perJobCap: 2000, vendorAllowlist: ["nimbus-db"] });
      expect(await Policy.get({})).toEqual(next);
      await expect(Policy.put({ perJobCap: -5 })).rejects.toMatchObject({ kind: "input" });
    });
  });
});

describe("VendorState", () => {
  it("starts empty, upserts partially and accumulates credential ids", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      expect(await VendorState.get({ vendor: "relay-mail" })).toMatchObject({
        hasAccount: false,
        credentialIds: [],
      });
      await VendorState.upsert({
        vendor: "relay-mail",
        hasAccount: true,
        addCredentialIds: ["cred_01JAAAAAAAAAAAAAAAAAAAAAAA"],
      });
      const state = await VendorState.upsert({
        vendor: "relay-mail",
        hasKey: true,
        addCredentialIds: ["cred_01JBBBBBBBBBBBBBBBBBBBBBBB"],
      });
      expect(state).toMatchObject({ hasAccount: true, hasKey: true });
      expect(state.credentialIds).toHaveLength(2);
    });
  });
});
