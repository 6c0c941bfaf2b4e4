import { nimbusDb } from "./nimbus-db.ts";
import { pixelCdn } from "./pixel-cdn.ts";
import { relayMail } from "./relay-mail.ts";
import type { Oracle } from "./types.ts";
import { wobblyCrm } from "./wobbly-crm.ts";

export type { Oracle, OracleContext } from "./types.ts";

export const oracles: Record<string, Oracle> = {
  "nimbus-db": nimbusDb,
  "relay-mail": relayMail,
  "pixel-cdn": pixelCdn,
  "wobbly-crm": wobblyCrm,
};
