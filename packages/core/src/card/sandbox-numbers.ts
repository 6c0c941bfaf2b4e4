import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Config } from "../config.ts";

/** Sandbox cards live in a test range no real issuer uses for live cards. */
export const SANDBOX_BIN = "400000";

let cached: { home: string; key: Buffer } | undefined;

/**
 * The sandbox issuer's secret. Card numbers and CVCs are derived from it, so the table only ever holds keyed
 * digests, yet a retried issue can hand the same details to the vault again.
 */
function issuerKey(): Buffer {
  const home = path.resolve(Config.get().FG_HOME);
  if (cached?.home === home) return cached.key;
  const file = path.join(home, "sandbox-issuer.key");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  cached = { home, key };
  return key;
}

function digits(label: string, cardId: string, count: number): string {
  const mac = createHmac("sha256", issuerKey()).update(`${label}:${cardId}`).digest();
  let out = "";
  for (let i = 0; out.length < count; i++) out += String(mac[i % mac.length]! % 10);
  return out;
}

export function luhnCheckDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(number: string): boolean {
  return /^\d{12,19}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

export function sandboxNumber(cardId: string): string {
  const body = SANDBOX_BIN + digits("pan", cardId, 9);
  return body + luhnCheckDigit(body);
}

export function sandboxCvc(cardId: string): string {
  return digits("cvc", cardId, 3);
}

/** Keyed digest of a card number, for lookups without storing the number. */
export function numberDigest(number: string): string {
  return createHmac("sha256", issuerKey())
    .update(`lookup:${number.replace(/\D/g, "")}`)
    .digest("hex");
}
