import { Email } from "@fg/core/email/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WOBBLY_KEY_PATTERN } from "../src/index.ts";
import { wobblyCrm } from "../src/wobbly-crm.ts";
import { adminAccounts, Browser, givenInbox, startStack, waitForMail } from "./helpers.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({ wobbly: { captchaRate: 0, errorRate: 0.5, delayMs: [1, 5], seed: 1 } });
});
afterAll(() => stack?.stop());

const vendor = () => stack.vendors["wobbly-crm"];

function flaky(options: { errorRate: number; captchaRate: number; seed?: number }) {
  return wobblyCrm({ sendMail: async () => {}, admin: true, delayMs: [0, 0], ...options }).app;
}

async function registerStatuses(app: ReturnType<typeof flaky>, attempts: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const body = new URLSearchParams({ name: "N", email: `n${i}@x.test`, password: "password-1" });
    statuses.push((await app.request("/register", { method: "POST", body })).status);
  }
  return statuses;
}

describe("wobbly-crm", () => {
  it("fails signup POSTs with a 500 at the configured rate, repeating exactly for a seed", async () => {
    const first = await registerStatuses(flaky({ errorRate: 0.5, captchaRate: 0 }), 40);
    const second = await registerStatuses(flaky({ errorRate: 0.5, captchaRate: 0 }), 40);
    expect(first).toEqual(second);
    expect(first[0]).toBe(500);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(30);
    expect(await registerStatuses(flaky({ errorRate: 0, captchaRate: 0 }), 5)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(await registerStatuses(flaky({ errorRate: 0.5, captchaRate: 0, seed: 7 }), 40)).not.toEqual(first);
  });

  it("slows every response by the configured delay", async () => {
    const app = wobblyCrm({
      sendMail: async () => {},
      admin: false,
      errorRate: 0,
      captchaRate: 0,
      delayMs: [150, 150],
    }).app;
    const started = performance.now();
    await app.request("/");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("recovers from the 500, activates by link, logs in and generates a key", async () => {
    const { accountId, address } = await givenInbox();
    const browser = new Browser(vendor().url);
    const form = await browser.get("/register");
    expect(form.html).toContain("<label>Email <input");
    const fields = { name: "Linus", email: address, password: "tabs-not-spaces" };
    const failed = await browser.post("/register", fields);
    expect(failed.status).toBe(500);
    expect(failed.html).toContain("Something went wrong");
    expect((await adminAccounts(vendor().adminUrl!)).some((a) => a.email === address)).toBe(false);
    const ok = await browser.post("/register", fields);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain("Check your email to activate");

    const link = Email.extractLink(await waitForMail(accountId, address, { from: "wobbly" }), {
      vendorHost: new URL(vendor().url).host,
    });
    expect(link).toMatch(/\/activate\/[0-9a-f]{32}$/);
    const activated = await browser.get(link ?? "");
    expect(activated.html).toContain("Log in to continue.");
    const home = await browser.post("/login", { email: address, password: "tabs-not-spaces" });
    expect(home.url).toMatch(/\/home$/);
    const integrations = await browser.get("/integrations");
    expect(integrations.html).toContain('<a href="/integrations/api">Manage</a>');
    const api = await browser.post("/integrations/api", {});
    const key = /<td>(wob_[a-z0-9]+)<\/td>/.exec(api.html)?.[1];
    expect(key).toMatch(WOBBLY_KEY_PATTERN);
    const truth = (await adminAccounts(vendor().adminUrl!)).find((a) => a.email === address);
    expect(truth?.keys.map((k) => k.value)).toEqual([key]);
  });

  it("puts a CAPTCHA that only a human can read in front of the configured share of logins", async () => {
    const app = flaky({ errorRate: 0, captchaRate: 1 });
    const always = wobblyCrm({
      sendMail: async () => {},
      admin: true,
      delayMs: [0, 0],
      errorRate: 0,
      captchaRate: 1,
    });
    expect(app).toBeDefined();
    const account = always.accounts.seed({ email: "human@x.test", password: "password-1" });
    const login = await always.app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: account.email, password: "password-1" }),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/login/challenge");
    const cookie = login.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    const challenge = await (await always.app.request("/login/challenge", { headers: { cookie } })).text();
    expect(challenge).toContain('role="img" aria-label="CAPTCHA image"');
    expect(challenge).toContain("Please verify you are a human.");
    const wrong = await always.app.request("/login/challenge", {
      method: "POST",
      headers: { cookie },
      body: new URLSearchParams({ answer: "WRONG1" }),
    });
    expect(wrong.status).toBe(422);

    const never = wobblyCrm({
      sendMail: async () => {},
      admin: true,
      delayMs: [0, 0],
      errorRate: 0,
      captchaRate: 0,
    });
    never.accounts.seed({ email: "human@x.test", password: "password-1" });
    const direct = await never.app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "human@x.test", password: "password-1" }),
    });
    expect(direct.headers.get("location")).toBe("/home");
  });
});
