import type { Hono } from "hono";
import type { Accounts, SeedAccount } from "./common/accounts.ts";
import { createMailer } from "./common/mailer.ts";
import { listen } from "./common/server.ts";
import { NIMBUS_KEY_PATTERN, nimbusDb } from "./nimbus-db.ts";
import { PIXEL_KEY_PATTERN, pixelCdn } from "./pixel-cdn.ts";
import { RELAY_KEY_PATTERN, RELAY_PLANS, relayMail } from "./relay-mail.ts";
import { WOBBLY_KEY_PATTERN, wobblyCrm } from "./wobbly-crm.ts";

export type { SeedAccount } from "./common/accounts.ts";
export { NIMBUS_KEY_PATTERN, PIXEL_KEY_PATTERN, RELAY_KEY_PATTERN, RELAY_PLANS, WOBBLY_KEY_PATTERN };

export const VENDOR_SLUGS = ["nimbus-db", "relay-mail", "pixel-cdn", "wobbly-crm"] as const;
export type VendorSlug = (typeof VENDOR_SLUGS)[number];

/** Each vendor's sender, so a waiting agent can filter its inbox by `from`. */
export const VENDOR_SENDERS: Record<VendorSlug, string> = {
  "nimbus-db": "no-reply@nimbus-db.test",
  "relay-mail": "hello@relay-mail.test",
  "pixel-cdn": "accounts@pixel-cdn.test",
  "wobbly-crm": "noreply@wobbly-crm.test",
};

const SENDER_NAMES: Record<VendorSlug, string> = {
  "nimbus-db": "Nimbus DB",
  "relay-mail": "Relay Mail",
  "pixel-cdn": "Pixel CDN",
  "wobbly-crm": "Wobbly CRM",
};

export interface VendorsOptions {
  smtpPort: number;
  cardNetworkUrl: string;
  /** Mounts GET/POST `/__admin/accounts` on every vendor (tests and the local runtime only). */
  admin: boolean;
  wobbly?: { captchaRate: number; errorRate: number; delayMs?: [number, number]; seed?: number };
  pixel?: { popupDelayMs?: number };
  /** Accounts that already exist when the vendors start (verified), per vendor. */
  accounts?: Partial<Record<VendorSlug, SeedAccount[]>>;
}

export interface RunningVendors {
  vendors: Record<VendorSlug, { url: string; adminUrl?: string }>;
  stop(): Promise<void>;
}

/** Starts the four demo vendors, each on its own loopback origin, with fresh in-memory state. */
export async function startVendors(options: VendorsOptions): Promise<RunningVendors> {
  const mailer = (slug: VendorSlug) =>
    createMailer(options.smtpPort, `"${SENDER_NAMES[slug]}" <${VENDOR_SENDERS[slug]}>`);
  const apps: Record<VendorSlug, { app: Hono; accounts: Accounts }> = {
    "nimbus-db": nimbusDb({ sendMail: mailer("nimbus-db"), admin: options.admin }),
    "relay-mail": relayMail({
      sendMail: mailer("relay-mail"),
      admin: options.admin,
      cardNetworkUrl: options.cardNetworkUrl,
    }),
    "pixel-cdn": pixelCdn({
      sendMail: mailer("pixel-cdn"),
      admin: options.admin,
      popupDelayMs: options.pixel?.popupDelayMs,
    }),
    "wobbly-crm": wobblyCrm({
      sendMail: mailer("wobbly-crm"),
      admin: options.admin,
      captchaRate: options.wobbly?.captchaRate ?? 0.3,
      errorRate: options.wobbly?.errorRate ?? 0.3,
      delayMs: options.wobbly?.delayMs,
      seed: options.wobbly?.seed,
    }),
  };
  for (const slug of VENDOR_SLUGS) {
    for (const seed of options.accounts?.[slug] ?? []) apps[slug].accounts.seed(seed);
  }
  const started: { slug: VendorSlug; url: string; stop(): Promise<void> }[] = [];
  try {
    for (const slug of VENDOR_SLUGS) started.push({ slug, ...(await listen(apps[slug].app)) });
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  const vendors = Object.fromEntries(
    started.map(({ slug, url }) => [
      slug,
      { url, ...(options.admin ? { adminUrl: `${url}/__admin/accounts` } : {}) },
    ]),
  ) as RunningVendors["vendors"];
  let stopped: Promise<void> | undefined;
  return {
    vendors,
    stop: () => {
      stopped ??= Promise.all(started.map((s) => s.stop())).then(() => undefined);
      return stopped;
    },
  };
}
