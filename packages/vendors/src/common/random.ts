import { randomBytes, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Unguessable strings for keys, tokens and sessions. */
export function randomString(length: number, alphabet = BASE62): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function numericCode(digits: number): string {
  return String(randomInt(10 ** (digits - 1), 10 ** digits));
}

/** An upper-case alphanumeric code with at least two letters and two digits, so it reads as a code. */
export function alphanumericCode(length: number): string {
  for (;;) {
    const code = randomString(length, CODE_ALPHABET);
    if ((code.match(/\d/g)?.length ?? 0) >= 2 && (code.match(/[A-Z]/g)?.length ?? 0) >= 2) return code;
  }
}

/** A seeded generator (mulberry32): the flaky vendor's failures repeat run after run for the same seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
