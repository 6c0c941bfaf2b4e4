import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { Config } from "../config.ts";

const KEY_BYTES = 32;

export interface MasterKey {
  /** A fingerprint stored next to each wrapped key; reveals nothing about the key. */
  id: string;
  key: Buffer;
}

/** The current key wraps new data keys; older ones still unwrap until rotation finishes. */
export interface Keyring {
  current: MasterKey;
  byId: Map<string, Buffer>;
  source: "env" | "file";
}

function fingerprint(key: Buffer): string {
  return createHash("sha256").update("fg.master-key.v1|").update(key).digest("hex").slice(0, 16);
}

function decode(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  // The message names the source only: never echo anything derived from the key.
  if (key.length !== KEY_BYTES) throw new Error(`${where} must hold 32-byte keys (base64 or 64 hex digits)`);
  return key;
}

function keyring(keys: Buffer[], source: Keyring["source"]): Keyring {
  const [first] = keys;
  if (!first) throw new Error("The master keyring is empty");
  return {
    current: { id: fingerprint(first), key: first },
    byId: new Map(keys.map((k) => [fingerprint(k), k])),
    source,
  };
}

export function masterKeyPath(): string {
  return path.join(path.resolve(Config.get().FG_HOME), "master.key");
}

/**
 * Replaces the key file atomically: a 0600 file created exclusively in the same directory, synced,
 * then renamed over master.key. A crash leaves either the old or the new file, never half of one.
 */
function writeKeyFile(file: string, keys: Buffer[]): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, `${keys.map((k) => k.toString("base64")).join("\n")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

function readKeyFile(file: string): Buffer[] {
  if (process.platform !== "win32") {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
    }
  }
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => decode(line, file));
}

function createKeyFileOnce(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    throw error;
  }
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export namespace MasterKeys {
  /**
   * FG_MASTER_KEY (comma-separated, current first) when set; otherwise $FG_HOME/master.key, created
   * once with mode 0600. The key lives in that one place only.
   */
  export function load(): Keyring {
    const fromEnv = process.env.FG_MASTER_KEY;
    if (fromEnv && fromEnv.trim() !== "") {
      return keyring(
        fromEnv.split(",").map((part) => decode(part, "FG_MASTER_KEY")),
        "env",
      );
    }
    const file = masterKeyPath();
    createKeyFileOnce(file);
    return keyring(readKeyFile(file), "file");
  }

  /** File keys only: puts a fresh key in front of the old ones, which stay until `retire`. */
  export function addFileKey(): Keyring {
    const current = load();
    if (current.source !== "file") {
      throw new Error("FG_MASTER_KEY is set: rotate by putting the new key first in FG_MASTER_KEY");
    }
    const file = masterKeyPath();
    writeKeyFile(file, [randomBytes(KEY_BYTES), ...readKeyFile(file)]);
    return load();
  }

  /** File keys only: drops every key but the current one (after every data key was re-wrapped). */
  export function retireFileKeys(): void {
    const ring = load();
    if (ring.source === "file" && ring.byId.size > 1) writeKeyFile(masterKeyPath(), [ring.current.key]);
  }
}
