import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a ciphertext, tag or wrapped key does not authenticate. Never carries any plaintext. */
export class VaultIntegrityError extends Error {
  override readonly name = "VaultIntegrityError";
  readonly code = "vault.integrity";
}

export interface Sealed {
  ciphertext: string;
  iv: string;
  tag: string;
  wrappedKey: string;
}

/** Binds a ciphertext to its account and secret id: moved anywhere else, it no longer decrypts. */
export function associatedData(accountId: string, secretId: string): Buffer {
  return Buffer.from(`fg.vault.v1|${accountId}|${secretId}`, "utf8");
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new VaultIntegrityError("Malformed envelope");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    // Nothing is returned unless final() authenticates the whole message.
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return plaintext;
  } catch {
    throw new VaultIntegrityError("Secret failed authentication; it was altered or moved");
  }
}

const wrapAad = (aad: Buffer) => Buffer.concat([Buffer.from("wrap|"), aad]);

export function wrapKey(masterKey: Buffer, dataKey: Buffer, aad: Buffer): string {
  const { iv, tag, ciphertext } = encrypt(masterKey, dataKey, wrapAad(aad));
  return Buffer.concat([iv, tag, ciphertext]).toString("base64");
}

export function unwrapKey(masterKey: Buffer, wrapped: string, aad: Buffer): Buffer {
  const bytes = Buffer.from(wrapped, "base64");
  return decrypt(
    masterKey,
    bytes.subarray(0, IV_BYTES),
    bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    bytes.subarray(IV_BYTES + TAG_BYTES),
    wrapAad(aad),
  );
}

/** Encrypts under a fresh data key and wraps that key with the master key. */
export function seal(value: string, aad: Buffer, masterKey: Buffer): Sealed {
  const dataKey = randomBytes(32);
  try {
    const { iv, tag, ciphertext } = encrypt(dataKey, Buffer.from(value, "utf8"), aad);
    return {
      ciphertext: ciphertext.toString("base64"),
      iv: iv.toString("base64"),
      tag: tag.toString("base64"),
      wrappedKey: wrapKey(masterKey, dataKey, aad),
    };
  } finally {
    dataKey.fill(0);
  }
}

export function open(sealed: Sealed, aad: Buffer, masterKey: Buffer): string {
  const dataKey = unwrapKey(masterKey, sealed.wrappedKey, aad);
  try {
    if (dataKey.length !== 32) throw new VaultIntegrityError("Malformed data key");
    const plaintext = decrypt(
      dataKey,
      Buffer.from(sealed.iv, "base64"),
      Buffer.from(sealed.tag, "base64"),
      Buffer.from(sealed.ciphertext, "base64"),
      aad,
    );
    const value = plaintext.toString("utf8");
    plaintext.fill(0);
    return value;
  } finally {
    dataKey.fill(0);
  }
}
