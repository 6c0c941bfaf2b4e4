import { randomBytes } from "node:crypto";
import { Account, Actor, Job } from "@fg/core";
import { startSmtpInbox } from "@fg/local/smtp/index";
import { type RunningVendors, startVendors, type VendorsOptions } from "@fg/vendors";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../src/browser.ts";
import type { AgentEvent } from "../src/run.ts";

export interface World {
  vendors: RunningVendors["vendors"];
  browser: Browser;
  cardNetworkUrl: string;
  stop(): Promise<void>;
}

/** Real SMTP inbox, the four demo vendors (admin on), the card network when available, one Chromium. */
export async function startWorld(
  options: Partial<Pick<VendorsOptions, "wobbly" | "pixel" | "accounts">> = {},
): Promise<World> {
  process.env.FG_ALLOW_LOOPBACK_VENDORS = "1";
  const stops: (() => Promise<void>)[] = [];
  try {
    const smtp = await startSmtpInbox({ port: 0 });
    stops.push(() => smtp.stop());
    const network = await startCardNetworkIfPresent();
    if (network) stops.push(() => network.stop());
    const cardNetworkUrl = network?.url ?? "http://127.0.0.1:9";
    const running = await startVendors({ smtpPort: smtp.port, cardNetworkUrl, admin: true, ...options });
    stops.push(() => running.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    return {
      vendors: running.vendors,
      browser,
      cardNetworkUrl,
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

async function startCardNetworkIfPresent(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const modulePath = "@fg/local/card-network/index";
  try {
    const mod = (await import(modulePath)) as {
      startCardNetwork: (o: { port?: number }) => Promise<{ url: string; stop(): Promise<void> }>;
    };
    return await mod.startCardNetwork({ port: 0 });
  } catch {
    return undefined;
  }
}

export async function newAccount(): Promise<string> {
  const { account } = await Account.signup({ email: `owner-${randomBytes(6).toString("hex")}@example.com` });
  return account.id;
}

export function asAccount<R>(accountId: string, cb: () => R): R {
  return Actor.system("agent test", accountId, cb);
}

export async function newJob(
  vendor: string,
  goal: Job.Goal = "api_key",
  maxSpend = 0,
  plan?: string,
): Promise<string> {
  const job = await Job.create({
    vendor,
    goal,
    maxSpend: { amount: maxSpend, currency: "usd" },
    ...(plan ? { plan } : {}),
  });
  return job.id;
}

export interface AdminAccount {
  email: string;
  password: string;
  keys: { value: string }[];
}

export async function adminAccounts(adminUrl: string | undefined): Promise<AdminAccount[]> {
  if (!adminUrl) throw new Error("vendors started without admin");
  const response = await fetch(adminUrl);
  return ((await response.json()) as { accounts: AdminAccount[] }).accounts;
}

/** Collects emitted events for assertions and the leak scan. */
export function recorder() {
  const events: AgentEvent[] = [];
  return { events, emit: (e: AgentEvent) => void events.push(e) };
}
