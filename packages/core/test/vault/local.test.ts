import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { Actor, Config, LocalVault, MasterKeys, VaultIntegrityError } from "../../src/index.ts";
import { VaultSecretEntity } from "../../src/vault/vault-secret.entity.ts";
import { newTenant, secretValue, usedValues, vaultContract } from "./contract.ts";
import { findLeaks } from "./scan.ts";

const homes = new Set<string>();

vaultContract("local envelope encryption (DynamoDB Local)", () => new LocalVault());

afterAll(async () => {
  homes.add(path.resolve(Config.get().FG_HOME));
  expect(usedValues.length).toBeGreaterThan(20);
  expect(await findLeaks(usedValues, [...homes])).toEqual([]);
});

type Item = Record<string, unknown> & { accountId: string; id: string };

async function rawItem(accountId: string, id: string): Promise<Item> {
  const found = await VaultSecretEntity.get({ accountId, id }).go({ consistent: true });
  if (!found.data) throw new Error("item missing");
  return found.data as unknown as Item;
}

async function writeRaw(item: Item): Promise<void> {
  await VaultSecretEntity.put(item as unknown as Parameters<typeof VaultSecretEntity.put>[0]).go();
}

function flipByte(base64: string, index = 0): string {
  const bytes = Buffer.from(base64, "base64");
  const at = Math.min(index, bytes.length - 1);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("local vault envelope", () => {
  it("stores only ciphertext, IV, tag and a wrapped key", async () => {
    const vault = new LocalVault();
    const tenant = newTenant();
    const value = secretValue("stored");
    const { ref } = await tenant.run(() => vault.put({ kind: "api_key", value }));
    const item = await rawItem(tenant.accountId, ref);
    expect(Object.keys(item).sort()).toEqual(
      ["accountId", "ciphertext", "createdAt", "id", "iv", "kind", "masterKeyId", "tag", "wrappedKey"].sort(),
    );
    expect(Buffer.from(item.iv as string, "base64")).toHaveLength(12);
    expect(Buffer.from(item.tag as string, "base64")).toHaveLength(16);
    expect(JSON.stringify(item)).not.toContain(value);
  });

  it("uses a fresh data key per secret, so equal values encrypt differently", async () => {
    const vault = new LocalVault();
    const tenant = newTenant();
    const value = secretValue();
    const [a, b] = await tenant.run(() =>
      Promise.all([vault.put({ kind: "other", value }), vault.put({ kind: "other", value })]),
    );
    const [x, y] = await Promise.all([rawItem(tenant.accountId, a.ref), rawItem(tenant.accountId, b.ref)]);
    expect(x.ciphertext).not.toBe(y.ciphertext);
    expect(x.wrappedKey).not.toBe(y.wrappedKey);
  });

  for (const field of ["ciphertext", "tag", "iv", "wrappedKey"] as const) {
    it(`refuses to decrypt when one byte of the ${field} is flipped, returning nothing`, async () => {
      const vault = new LocalVault();
      const tenant = newTenant();
      const value = secretValue("tamper");
      const { ref } = await tenant.run(() => vault.put({ kind: "password", value }));
      const item = await rawItem(tenant.accountId, ref);
      for (const index of [0, 5, 40]) {
        await writeRaw({ ...item, [field]: flipByte(item[field] as string, index) });
        const error = await tenant.run(() => rejection(vault.get(ref, { reason: "tamper test" })));
        expect(error).toBeInstanceOf(VaultIntegrityError);
        expect(`${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(
          value.slice(0, 8),
        );
      }
      await writeRaw(item);
      expect(await tenant.run(() => vault.get(ref, { reason: "restored" }))).toBe(value);
    });
  }

  it("fails to decrypt a ciphertext moved under another account", async () => {
    const vault = new LocalVault();
    const owner = newTenant();
    const thief = newTenant();
    const { ref } = await owner.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    const item = await rawItem(owner.accountId, ref);
    await writeRaw({ ...item, accountId: thief.accountId });
    await expect(thief.run(() => vault.get(ref, { reason: "moved" }))).rejects.toBeInstanceOf(
      VaultIntegrityError,
    );
  });

  it("fails to decrypt a ciphertext copied onto another secret id of the same account", async () => {
    const vault = new LocalVault();
    const tenant = newTenant();
    const { ref: victim } = await tenant.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    const { ref: decoy } = await tenant.run(() => vault.put({ kind: "api_key", value: secretValue() }));
    const item = await rawItem(tenant.accountId, victim);
    await writeRaw({ ...item, id: decoy });
    await expect(tenant.run(() => vault.get(decoy, { reason: "swapped" }))).rejects.toBeInstanceOf(
      VaultIntegrityError,
    );
  });

  it("cannot read secrets with a different master key", async () => {
    const tenant = newTenant();
    const { ref } = await tenant.run(() => new LocalVault().put({ kind: "api_key", value: secretValue() }));
    const stranger = randomBytes(32);
    const other = new LocalVault(() => ({
      current: { id: "0000000000000000", key: stranger },
      byId: new Map([["0000000000000000", stranger]]),
      source: "env",
    }));
    await expect(tenant.run(() => other.get(ref, { reason: "wrong key" }))).rejects.toBeInstanceOf(
      VaultIntegrityError,
    );
  });
});

describe("master key", () => {
  const saved = { home: process.env.FG_HOME, key: process.env.FG_MASTER_KEY };
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), "fg-master-"));
    homes.add(home);
    process.env.FG_HOME = home;
    delete process.env.FG_MASTER_KEY;
  });

  afterEach(() => {
    process.env.FG_HOME = saved.home;
    if (saved.key === undefined) delete process.env.FG_MASTER_KEY;
    else process.env.FG_MASTER_KEY = saved.key;
  });

  it("is generated once into $FG_HOME/master.key with mode 0600", () => {
    const first = MasterKeys.load();
    const file = path.join(home, "master.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.current.key).toHaveLength(32);
    expect(readFileSync(file, "utf8").trim()).toBe(first.current.key.toString("base64"));
    expect(MasterKeys.load().current.key.equals(first.current.key)).toBe(true);
  });

  it("comes from FG_MASTER_KEY when set, and then nothing is written", () => {
    const key = randomBytes(32);
    process.env.FG_MASTER_KEY = key.toString("base64");
    expect(MasterKeys.load().current.key.equals(key)).toBe(true);
    process.env.FG_MASTER_KEY = key.toString("hex");
    expect(MasterKeys.load().current.key.equals(key)).toBe(true);
    expect(() => statSync(path.join(home, "master.key"))).toThrow();
  });

  it("rejects a malformed FG_MASTER_KEY without echoing it", () => {
    process.env.FG_MASTER_KEY = "c2hvcnQta2V5LXZhbHVl";
    expect(() => MasterKeys.load()).toThrow(/FG_MASTER_KEY must hold 32-byte keys/);
    try {
      MasterKeys.load();
    } catch (error) {
      expect(String(error)).not.toContain("c2hvcnQta2V5LXZhbHVl");
    }
  });

  it("refuses a key file other users can read", () => {
    MasterKeys.load();
    chmodSync(path.join(home, "master.key"), 0o644);
    expect(() => MasterKeys.load()).toThrow(/chmod 600/);
  });

  it("rotation re-wraps data keys without touching values, then retires the old key", async () => {
    const vault = new LocalVault();
    const tenants = [newTenant(), newTenant()];
    const stored = await Promise.all(
      tenants.map(async (tenant) => {
        const value = secretValue("rotate");
        const { ref } = await tenant.run(() => vault.put({ kind: "api_key", value }));
        return { tenant, ref, value, before: await rawItem(tenant.accountId, ref) };
      }),
    );
    const oldKey = MasterKeys.load().current;

    const result = await Actor.system("rotate master key", undefined, () => vault.rotateMasterKey());

    const ring = MasterKeys.load();
    expect(result.masterKeyId).toBe(ring.current.id);
    expect(ring.current.id).not.toBe(oldKey.id);
    expect([...ring.byId.keys()]).toEqual([ring.current.id]);
    expect(result.rewrapped).toBeGreaterThanOrEqual(2);
    expect(statSync(path.join(home, "master.key")).mode & 0o777).toBe(0o600);
    for (const { tenant, ref, value, before } of stored) {
      const after = await rawItem(tenant.accountId, ref);
      expect(after.ciphertext).toBe(before.ciphertext);
      expect(after.iv).toBe(before.iv);
      expect(after.tag).toBe(before.tag);
      expect(after.wrappedKey).not.toBe(before.wrappedKey);
      expect(after.masterKeyId).toBe(ring.current.id);
      expect(await tenant.run(() => vault.get(ref, { reason: "after rotation" }))).toBe(value);
      const withOldKey = new LocalVault(() => ({
        current: oldKey,
        byId: new Map([[oldKey.id, oldKey.key]]),
        source: "env",
      }));
      await expect(tenant.run(() => withOldKey.get(ref, { reason: "old key" }))).rejects.toBeInstanceOf(
        VaultIntegrityError,
      );
    }
  });

  it("rotates an FG_MASTER_KEY keyring when the new key is listed first", async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    process.env.FG_MASTER_KEY = oldKey.toString("base64");
    const vault = new LocalVault();
    const tenant = newTenant();
    const value = secretValue();
    const { ref } = await tenant.run(() => vault.put({ kind: "password", value }));
    process.env.FG_MASTER_KEY = `${newKey.toString("base64")},${oldKey.toString("base64")}`;
    await Actor.system("rotate", undefined, () => vault.rotateMasterKey());
    process.env.FG_MASTER_KEY = newKey.toString("base64");
    expect(await tenant.run(() => vault.get(ref, { reason: "after env rotation" }))).toBe(value);
  });

  it("only a system actor may rotate", async () => {
    const tenant = newTenant();
    await expect(tenant.run(() => new LocalVault().rotateMasterKey())).rejects.toMatchObject({
      kind: "forbidden",
    });
  });

  it("an unreadable key file is reported, never silently replaced", () => {
    writeFileSync(path.join(home, "master.key"), "not a key\n", { mode: 0o600 });
    expect(() => MasterKeys.load()).toThrow(/32-byte keys/);
  });
});
