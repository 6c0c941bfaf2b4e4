import { randomBytes } from "node:crypto";
import { Account, Actor, Job } from "@fg/core";
import { Email } from "@fg/core/email/index";
import { freePort } from "@fg/local";
import { startSmtpInbox } from "@fg/local/smtp/index";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { startVendors, type VendorsOptions } from "../src/index.ts";

/** A tiny HTTP client with a cookie jar that follows redirects, like a browser without JS. */
export class Browser {
  readonly cookies = new Map<string, string>();
  url = "";

  constructor(private readonly origin: string) {}

  async get(path: string): Promise<Page> {
    return this.request(path, { method: "GET" });
  }

  async post(path: string, fields: Record<string, string>): Promise<Page> {
    return this.request(path, { method: "POST", body: new URLSearchParams(fields) });
  }

  async json(path: string, body: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, this.origin), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookieHeader() },
      body: JSON.stringify(body),
    });
    this.remember(response);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  private async request(path: string, init: { method: string; body?: URLSearchParams }): Promise<Page> {
    let url = new URL(path, this.origin);
    let method = init.method;
    let body = init.body;
    for (let hops = 0; hops < 10; hops++) {
      const response = await fetch(url, {
        method,
        body,
        headers: { cookie: this.cookieHeader() },
        redirect: "manual",
      });
      this.remember(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        method = "GET";
        body = undefined;
        continue;
      }
      this.url = url.href;
      return { status: response.status, url: url.href, html: await response.text() };
    }
    throw new Error(`too many redirects from ${path}`);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface Page {
  status: number;
  url: string;
  html: string;
}

/** An account and a job with its own inbox, as a provisioning job would have. */
export async function givenInbox(): Promise<{ accountId: string; address: string }> {
  const account = await Account.create({ email: `buyer-${randomBytes(5).toString("hex")}@example.com` });
  const address = await Actor.system("test", account.id, async () => {
    const job = await Job.create({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    return (await Email.createInbox({ jobId: job.id })).address;
  });
  return { accountId: account.id, address };
}

export function waitForMail(
  accountId: string,
  address: string,
  options: { from?: string; subjectIncludes?: string } = {},
) {
  return Actor.system("test", accountId, () => Email.waitFor({ address, timeoutMs: 15_000, ...options }));
}

export interface AdminAccount {
  email: string;
  password: string;
  verified: boolean;
  plan: string | null;
  paid: boolean;
  keys: { id: string; name: string; value: string }[];
  payments: { authorizationId: string; transactionId: string; amount: number }[];
}

export async function adminAccounts(adminUrl: string): Promise<AdminAccount[]> {
  const response = await fetch(adminUrl);
  return ((await response.json()) as { accounts: AdminAccount[] }).accounts;
}

/**
 * Contract 4's HTTP surface, just enough for the vendors' own tests: authorize approves any card whose
 * number ends in 4242 when the amount is at most `limit`, capture settles an approved authorization once.
 */
export async function startFakeCardNetwork(limit = 10_000) {
  const authorizations = new Map<string, { amount: number; merchant: string; captured: boolean }>();
  const captures: { authorizationId: string; amount: number }[] = [];
  let next = 1;
  const app = new Hono()
    .get("/frame", (c) =>
      c.html(
        `<form><label>Card number <input name="number"></label><label>Expiry (MM/YY) <input name="expiry"></label><label>CVC <input name="cvc"></label><label>Name on card <input name="name"></label><button>Pay</button></form><p>${c.req.query("merchant")}</p>`,
      ),
    )
    .post("/authorize", async (c) => {
      const body = (await c.req.json()) as {
        card: { number: string };
        merchant: { name: string };
        amount: number;
      };
      if (!body.card.number.endsWith("4242") || body.amount > limit)
        return c.json({ approved: false, reason: "declined" });
      const authorizationId = `auth_${next++}`;
      authorizations.set(authorizationId, {
        amount: body.amount,
        merchant: body.merchant.name,
        captured: false,
      });
      return c.json({ approved: true, authorizationId });
    })
    .post("/capture", async (c) => {
      const body = (await c.req.json()) as { authorizationId: string; amount: number };
      const auth = authorizations.get(body.authorizationId);
      if (!auth || auth.captured || body.amount > auth.amount) return c.json({ captured: false });
      auth.captured = true;
      captures.push(body);
      return c.json({ captured: true, transactionId: `txn_${body.authorizationId}` });
    });
  const server = await new Promise<{ url: string; close: () => void }>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }),
    );
  });
  return {
    url: server.url,
    authorizations,
    captures,
    async authorize(amount: number, merchant: string, number = "4242424242424242") {
      const response = await fetch(`${server.url}/authorize`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          card: { number, expiry: "12/30", cvc: "123", name: "Ada" },
          merchant: { name: merchant },
          amount,
          currency: "usd",
        }),
      });
      return (await response.json()) as { approved: boolean; authorizationId?: string };
    },
    stop: () => server.close(),
  };
}

export function field(html: string, pattern: RegExp): string {
  const match = pattern.exec(html);
  if (!match?.[1]) throw new Error(`pattern ${pattern} not found in page`);
  return match[1];
}

/** The SMTP inbox, a fake card network and the four vendors, all on loopback. */
export async function startStack(options: Partial<Omit<VendorsOptions, "smtpPort" | "cardNetworkUrl">> = {}) {
  const inbox = await startSmtpInbox({ port: await freePort() });
  const card = await startFakeCardNetwork();
  const running = await startVendors({
    smtpPort: inbox.port,
    cardNetworkUrl: card.url,
    admin: true,
    wobbly: { captchaRate: 0, errorRate: 0, delayMs: [1, 5] },
    ...options,
  });
  return {
    ...running,
    card,
    async stop() {
      await running.stop();
      card.stop();
      await inbox.stop();
    },
  };
}
