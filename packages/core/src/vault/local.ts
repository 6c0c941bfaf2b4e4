import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { Id } from "../util/id.ts";
import { associatedData, open, seal, unwrapKey, VaultIntegrityError, wrapKey } from "./envelope.ts";
import { type Keyring, MasterKeys } from "./master-key.ts";
import {
  audit,
  isExpired,
  type Kind,
  ListFilter,
  type Meta,
  matches,
  normalizePut,
  notFound,
  type Port,
  type PutInput,
  parse,
  remember,
} from "./port.ts";
import { VaultSecretEntity } from "./vault-secret.entity.ts";

type Item = NonNullable<Awaited<ReturnType<ReturnType<typeof VaultSecretEntity.get>["go"]>>["data"]>;

function toMeta(item: Item): Meta {
  return {
    ref: item.id,
    kind: item.kind as Kind,
    vendor: item.vendor ?? null,
    jobId: item.jobId ?? null,
    label: item.label ?? null,
    createdAt: item.createdAt,
    expiresAt: item.expiresAt ?? null,
  };
}

function masterKeyFor(ring: Keyring, item: Item): Buffer {
  const key = ring.byId.get(item.masterKeyId);
  if (!key) throw new VaultIntegrityError(`Secret ${item.id} is wrapped by a master key that is not loaded`);
  return key;
}

/**
 * Envelope encryption in the table: a fresh AES-256-GCM data key per secret, wrapped by the master
 * key (FG_MASTER_KEY or $FG_HOME/master.key). Ciphertext, IV, tag and wrapped key are the only
 * traces of a value in the store.
 */
export class LocalVault implements Port {
  constructor(private readonly keys: () => Keyring = MasterKeys.load) {}

  async put(input: PutInput): Promise<{ ref: string }> {
    const parsed = normalizePut(input);
    const accountId = Actor.accountId();
    const id = Id.create("secret");
    const ring = this.keys();
    const sealed = seal(parsed.value, associatedData(accountId, id), ring.current.key);
    await VaultSecretEntity.create({
      accountId,
      id,
      kind: parsed.kind,
      vendor: parsed.vendor,
      jobId: parsed.jobId,
      label: parsed.label,
      ...sealed,
      masterKeyId: ring.current.id,
      expiresAt: parsed.expiresAt,
    }).go();
    remember(parsed.kind, parsed.jobId, parsed.value);
    return { ref: id };
  }

  async get(ref: string, access: { reason: string }): Promise<string> {
    const { ref: id } = await audit("vault.get", ref, access);
    const accountId = Actor.accountId();
    const found = await VaultSecretEntity.get({ accountId, id }).go({ consistent: true });
    const item = found.data;
    if (!item || isExpired(item.expiresAt)) throw notFound(id);
    const value = open(item, associatedData(accountId, id), masterKeyFor(this.keys(), item));
    remember(item.kind as Kind, item.jobId, value);
    return value;
  }

  async delete(ref: string, access: { reason: string }): Promise<void> {
    const { ref: id } = await audit("vault.delete", ref, access);
    await VaultSecretEntity.delete({ accountId: Actor.accountId(), id }).go();
  }

  async list(filter?: ListFilter): Promise<Meta[]> {
    const parsed = parse(ListFilter, filter);
    const accountId = Actor.accountId();
    const result = await VaultSecretEntity.query.byId({ accountId }).go({
      pages: "all",
      attributes: ["accountId", "id", "kind", "vendor", "jobId", "label", "createdAt", "expiresAt"],
    });
    return (result.data as Item[])
      .filter((item) => !isExpired(item.expiresAt))
      .map(toMeta)
      .filter((meta) => matches(meta, parsed));
  }

  /**
   * Re-wraps every data key that is not under the current master key. Values, IVs and tags are
   * not touched. With file keys a new key is added first and the old ones dropped at the end, so a
   * crash half-way leaves every secret readable; run it again to finish. Secrets whose wrapped key
   * is under a key that is not loaded, or fails to authenticate, are counted as `skipped` and left as
   * they are.
   */
  async rotateMasterKey(
    options: { addKey?: boolean } = {},
  ): Promise<{ rewrapped: number; skipped: number; masterKeyId: string }> {
    Actor.assertSystem();
    const ring = options.addKey === false ? this.keys() : this.rotationKeyring();
    const all = await VaultSecretEntity.scan.go({ pages: "all" });
    let rewrapped = 0;
    let skipped = 0;
    for (const item of all.data as Item[]) {
      if (item.masterKeyId === ring.current.id) continue;
      const oldKey = ring.byId.get(item.masterKeyId);
      if (!oldKey) {
        skipped++;
        continue;
      }
      const aad = associatedData(item.accountId, item.id);
      let dataKey: Buffer;
      try {
        dataKey = unwrapKey(oldKey, item.wrappedKey, aad);
      } catch (error) {
        if (!(error instanceof VaultIntegrityError)) throw error;
        skipped++;
        continue;
      }
      try {
        await VaultSecretEntity.patch({ accountId: item.accountId, id: item.id })
          .set({ wrappedKey: wrapKey(ring.current.key, dataKey, aad), masterKeyId: ring.current.id })
          .where((a, op) => op.eq(a.wrappedKey, item.wrappedKey))
          .go();
        rewrapped++;
      } catch (error) {
        // Deleted or re-wrapped by someone else meanwhile: nothing left to do for this one.
        if (!isConditionalFailure(error)) throw error;
      } finally {
        dataKey.fill(0);
      }
    }
    if (ring.source === "file") MasterKeys.retireFileKeys();
    return { rewrapped, skipped, masterKeyId: ring.current.id };
  }

  private rotationKeyring(): Keyring {
    const ring = this.keys();
    if (this.keys !== MasterKeys.load || ring.source !== "file") return ring;
    return MasterKeys.addFileKey();
  }
}
