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
} as const;

export type IdKind = keyof typeof prefixes;

const ulid = monotonicFactory();

export namespace Id {
  export function create(kind: IdKind): string {
    return `${prefixes[kind]}_${ulid()}`;
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
