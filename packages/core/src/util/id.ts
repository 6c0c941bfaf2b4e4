import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";
import { z } from "zod";

const prefixes = {
  account: "acct",
  apiKey: "key",
  job: "job",
  event: "evt",
  credential: "cred",
  ledger: "led",
  audit: "aud",
  secret: "sec",
  card: "card",
  charge: "ch",
  refund: "re",
  paymentMethod: "pm",
  webhookEndpoint: "whe",
  cardAuthorization: "iauth",
  cardTransaction: "ipi",
  setupIntent: "seti",
  email: "eml",
  webhookMessage: "msg",
  request: "req",
} as const;

export type IdKind = keyof typeof prefixes;

const pool = new Uint8Array(4096);
let drawn = pool.length;

/** Cryptographic randomness drawn a pool at a time: ulid's default asks the OS once per character. */
function pooledRandom(): number {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  return (pool[drawn++] as number) / 256;
}

const ulid = monotonicFactory(pooledRandom);

export namespace Id {
  /** A prefixed ULID; pass `at` (epoch ms) when the id must carry the same instant as a stored timestamp. */
  export function create(kind: IdKind, at?: number): string {
    return `${prefixes[kind]}_${ulid(at)}`;
  }

  export function schema(kind: IdKind) {
    return z
      .string()
      .regex(new RegExp(`^${prefixes[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefixes[kind]}_ id`);
  }

  export function prefix(kind: IdKind): string {
    return prefixes[kind];
  }
}
