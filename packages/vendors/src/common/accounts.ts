import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomString } from "./random.ts";

export interface IssuedKey {
  id: string;
  name: string;
  value: string;
  createdAt: string;
  revealedAt?: string;
}

export interface VendorAccount {
  id: string;
  email: string;
  password: string;
  name: string;
  verified: boolean;
  plan: string | null;
  paid: boolean;
  createdAt: string;
  keys: IssuedKey[];
  payments: { authorizationId: string; transactionId: string; amount: number; currency: string }[];
  /** Pending one-time values (codes, link tokens) by purpose; not shown by the admin endpoint. */
  pending: Map<string, string>;
}

export interface SeedAccount {
  email: string;
  password: string;
  name?: string;
  plan?: string;
}

/**
 * The in-memory users of one vendor run. Sessions live in a cookie whose name differs per vendor:
 * browsers share cookies across ports of 127.0.0.1, so equal names would clobber each other.
 */
export class Accounts {
  private readonly byEmail = new Map<string, VendorAccount>();
  private readonly sessions = new Map<string, string>();
  private nextId = 1;

  constructor(
    private readonly cookieName: string,
    private readonly idPrefix: string,
  ) {}

  find(email: string): VendorAccount | undefined {
    return this.byEmail.get(email.trim().toLowerCase());
  }

  create(input: { email: string; password: string; name?: string; verified?: boolean }): VendorAccount {
    const email = input.email.trim().toLowerCase();
    const account: VendorAccount = {
      id: `${this.idPrefix}${String(this.nextId++).padStart(4, "0")}`,
      email,
      password: input.password,
      name: input.name ?? "",
      verified: input.verified ?? false,
      plan: null,
      paid: false,
      createdAt: new Date().toISOString(),
      keys: [],
      payments: [],
      pending: new Map(),
    };
    this.byEmail.set(email, account);
    return account;
  }

  all(): VendorAccount[] {
    return [...this.byEmail.values()];
  }

  /** The account owning a pending value (a link token), which is consumed. */
  consume(purpose: string, value: string): VendorAccount | undefined {
    for (const account of this.byEmail.values()) {
      if (account.pending.get(purpose) === value) {
        account.pending.delete(purpose);
        return account;
      }
    }
    return undefined;
  }

  signIn(c: Context, account: VendorAccount): void {
    const sid = randomString(32);
    this.sessions.set(sid, account.id);
    setCookie(c, this.cookieName, sid, { path: "/", httpOnly: true, sameSite: "Lax" });
  }

  signOut(c: Context): void {
    const sid = getCookie(c, this.cookieName);
    if (sid) this.sessions.delete(sid);
    deleteCookie(c, this.cookieName, { path: "/" });
  }

  current(c: Context): VendorAccount | undefined {
    const sid = getCookie(c, this.cookieName);
    const id = sid ? this.sessions.get(sid) : undefined;
    return id ? this.all().find((a) => a.id === id) : undefined;
  }

  issueKey(account: VendorAccount, name: string, value: string): IssuedKey {
    const key = { id: `key_${account.keys.length + 1}`, name, value, createdAt: new Date().toISOString() };
    account.keys.push(key);
    return key;
  }

  /** The test-only truth: accounts, passwords and every issued key. */
  mountAdmin(app: Hono): void {
    app.get("/__admin/accounts", (c) =>
      c.json({
        accounts: this.all().map((a) => ({
          id: a.id,
          email: a.email,
          password: a.password,
          name: a.name,
          verified: a.verified,
          plan: a.plan,
          paid: a.paid,
          createdAt: a.createdAt,
          keys: a.keys.map(({ id, name, value, createdAt }) => ({ id, name, value, createdAt })),
          payments: a.payments,
        })),
      }),
    );
    app.post("/__admin/accounts", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as Partial<SeedAccount>;
      if (!body.email || !body.password) return c.json({ error: "email and password are required" }, 400);
      if (this.find(body.email)) return c.json({ error: "account exists" }, 409);
      const account = this.seed(body as SeedAccount);
      return c.json({ id: account.id, email: account.email }, 201);
    });
  }

  /** An existing, verified account (the login path). */
  seed(input: SeedAccount): VendorAccount {
    const account = this.create({ ...input, verified: true });
    if (input.plan) account.plan = input.plan;
    return account;
  }
}

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
