import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Actor, Audit, Id, Secrets, type Vault, VisibleError } from "../../src/index.ts";

/** Runs as an API key of a fresh account; the vault never checks that the account row exists. */
export function asKey<R>(accountId: string, apiKeyId: string, cb: () => R): R {
  return Actor.provide({ type: "account", properties: { accountId, apiKeyId, scopes: ["admin"] } }, cb);
}

export function newTenant() {
  const accountId = Id.create("account");
  const apiKeyId = Id.create("apiKey");
  return { accountId, apiKeyId, run: <R>(cb: () => R) => asKey(accountId, apiKeyId, cb) };
}

/** Every value the suites put, so a scan afterwards can prove none of them reached the store. */
export const usedValues: string[] = [];

export function secretValue(label = "value"): string {
  const value = `${label}-${randomBytes(12).toString("base64url")}`;
  usedValues.push(value);
  return value;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The behaviour every credential vault adapter must have. */
export function vaultContract(name: string, make: () => Promise<Vault.Port> | Vault.Port) {
  describe(`Vault port contract: ${name}`, () => {
    it("returns exactly the value that was put", async () => {
      const vault = await make();
      const tenant = newTenant();
      const value = `${secretValue("api")} ünïcødé "quoted" \\ back`;
      usedValues.push(value);
      await tenant.run(async () => {
        const { ref } = await vault.put({
          kind: "api_key",
          value,
          vendor: "nimbus-db",
          label: "default key",
        });
        expect(ref).toMatch(/^sec_[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(await vault.get(ref, { reason: "round trip" })).toBe(value);
      });
    });

    it("lists metadata only, never values, and filters by kind, vendor and job", async () => {
      const vault = await make();
      const tenant = newTenant();
      const jobId = Id.create("job");
      const values = [secretValue("a"), secretValue("b"), secretValue("c")];
      await tenant.run(async () => {
        const a = await vault.put({
          kind: "api_key",
          value: values[0]!,
          vendor: "nimbus-db",
          jobId,
          label: "key",
        });
        const b = await vault.put({ kind: "password", value: values[1]!, vendor: "relay-mail", jobId });
        const c = await vault.put({ kind: "other", value: values[2]!, vendor: "relay-mail" });
        const all = await vault.list();
        expect(all.map((m) => m.ref)).toEqual([a.ref, b.ref, c.ref]);
        expect(all[0]).toEqual({
          ref: a.ref,
          kind: "api_key",
          vendor: "nimbus-db",
          jobId,
          label: "key",
          createdAt: expect.any(String),
          expiresAt: null,
        });
        const serialized = JSON.stringify(all);
        for (const value of values) expect(serialized).not.toContain(value);
        expect((await vault.list({ kind: "password" })).map((m) => m.ref)).toEqual([b.ref]);
        expect((await vault.list({ vendor: "relay-mail" })).map((m) => m.ref)).toEqual([b.ref, c.ref]);
        expect((await vault.list({ jobId })).map((m) => m.ref)).toEqual([a.ref, b.ref]);
      });
    });

    it("reports not found after delete, and deleting twice is harmless", async () => {
      const vault = await make();
      const tenant = newTenant();
      await tenant.run(async () => {
        const { ref } = await vault.put({ kind: "password", value: secretValue() });
        await vault.delete(ref, { reason: "test cleanup" });
        const error = await rejection(vault.get(ref, { reason: "after delete" }));
        expect(error).toBeInstanceOf(VisibleError);
        expect(error).toMatchObject({ kind: "not_found", code: "vault.not_found" });
        await vault.delete(ref, { reason: "again" });
        expect(await vault.list()).toEqual([]);
      });
    });

    it("refuses another account's ref as if it did not exist", async () => {
      const vault = await make();
      const owner = newTenant();
      const other = newTenant();
      const value = secretValue();
      const { ref } = await owner.run(() => vault.put({ kind: "api_key", value }));
      const error = await other.run(() => rejection(vault.get(ref, { reason: "snooping" })));
      expect(error).toMatchObject({ kind: "not_found" });
      expect(JSON.stringify(error)).not.toContain(value);
      await other.run(() => vault.delete(ref, { reason: "snooping" }));
      expect(await other.run(() => vault.list())).toEqual([]);
      expect(await owner.run(() => vault.get(ref, { reason: "still there" }))).toBe(value);
    });

    it("audits every get and delete with actor, api key id, reason and time", async () => {
      const vault = await make();
      const tenant = newTenant();
      await tenant.run(async () => {
        const { ref } = await vault.put({ kind: "api_key", value: secretValue() });
        await vault.get(ref, { reason: "show it to the user" });
        await vault.delete(ref, { reason: "user removed it" });
        await rejection(vault.get(ref, { reason: "look again" }));
        const { data } = await Audit.list({ limit: 10 });
        expect(data.map((e) => [e.action, e.target, e.reason, e.actorType, e.apiKeyId])).toEqual([
          ["vault.get", ref, "look again", "account", tenant.apiKeyId],
          ["vault.delete", ref, "user removed it", "account", tenant.apiKeyId],
          ["vault.get", ref, "show it to the user", "account", tenant.apiKeyId],
        ]);
        for (const entry of data) expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
      });
    });

    it("needs a reason to read or delete and an account to act for", async () => {
      const vault = await make();
      const tenant = newTenant();
      const { ref } = await tenant.run(() => vault.put({ kind: "other", value: secretValue() }));
      await expect(tenant.run(() => vault.get(ref, { reason: "" }))).rejects.toMatchObject({ kind: "input" });
      await expect(tenant.run(() => vault.get("cred_nope", { reason: "x" }))).rejects.toMatchObject({
        kind: "input",
      });
      await expect(vault.get(ref, { reason: "no actor" })).rejects.toMatchObject({ kind: "auth" });
      await expect(vault.put({ kind: "other", value: "x-value" })).rejects.toMatchObject({ kind: "auth" });
    });

    it("keeps card details job-scoped and expiring", async () => {
      const vault = await make();
      const tenant = newTenant();
      const jobId = Id.create("job");
      await tenant.run(async () => {
        await expect(vault.put({ kind: "card", value: secretValue() })).rejects.toMatchObject({
          kind: "input",
        });
        const before = Math.floor(Date.now() / 1000);
        const { ref } = await vault.put({ kind: "card", value: secretValue("card"), jobId });
        const [meta] = await vault.list({ kind: "card" });
        expect(meta?.ref).toBe(ref);
        expect(meta?.expiresAt).toBeGreaterThan(before);
      });
    });

    it("treats an expired secret as gone", async () => {
      const vault = await make();
      const tenant = newTenant();
      await tenant.run(async () => {
        const { ref } = await vault.put({
          kind: "session_state",
          value: secretValue(),
          expiresAt: Math.floor(Date.now() / 1000) - 1,
        });
        await expect(vault.get(ref, { reason: "late" })).rejects.toMatchObject({ kind: "not_found" });
        expect(await vault.list()).toEqual([]);
      });
    });

    it("registers every value it hands out for redaction", async () => {
      const vault = await make();
      const tenant = newTenant();
      const jobId = Id.create("job");
      const value = secretValue("extracted");
      await tenant.run(async () => {
        const { ref } = await vault.put({ kind: "api_key", value, jobId });
        Secrets.release(jobId);
        expect(Secrets.redact(`key=${value}`)).toBe(`key=${value}`);
        await vault.get(ref, { reason: "use it" });
        expect(Secrets.redact(`key=${value}`)).toBe("key={{API_KEY}}");
        Secrets.release(jobId);
      });
    });
  });
}
