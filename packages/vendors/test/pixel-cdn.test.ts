import { Email } from "@fg/core/email/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIXEL_KEY_PATTERN } from "../src/index.ts";
import { adminAccounts, Browser, givenInbox, startStack, waitForMail } from "./helpers.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({
    pixel: { popupDelayMs: 1234 },
    accounts: { "pixel-cdn": [{ email: "existing@customer.test", password: "already-here-42" }] },
  });
});
afterAll(() => stack?.stop());

const vendor = () => stack.vendors["pixel-cdn"];

describe("pixel-cdn", () => {
  it("blocks pages behind a cookie banner and schedules the newsletter popup until each is answered", async () => {
    const browser = new Browser(vendor().url);
    const first = await browser.get("/");
    expect(first.html).toContain('role="dialog" aria-label="Cookie consent"');
    expect(first.html).toContain('<button type="button" id="consent-accept">Accept all</button>');
    expect(first.html).toContain('class="blocker"');
    expect(first.html).toContain("}, 1234);");
    expect(first.html).toContain('aria-label="Close"');
    browser.cookies.set("pcdn_consent", "all");
    browser.cookies.set("pcdn_newsletter", "dismissed");
    const answered = await browser.get("/");
    expect(answered.html).not.toContain("Cookie consent");
    expect(answered.html).not.toContain("newsletter-title");
  });

  it("logs a pre-existing account in and issues a token under Settings → Security", async () => {
    const browser = new Browser(vendor().url);
    const signin = await browser.get("/signin");
    expect(signin.html).toContain('<input type="email" name="email" aria-label="Email">');
    const app = await browser.post("/signin", {
      email: "existing@customer.test",
      password: "already-here-42",
    });
    expect(app.url).toMatch(/\/app$/);
    expect(app.html).toContain("Welcome back");
    expect(app.html).toContain('aria-haspopup="menu"');
    expect(app.html).toContain('<a role="menuitem" href="/app/settings">Settings</a>');
    const security = await browser.get("/app/settings/security");
    expect(security.html).toContain('aria-selected="true">Security</a>');
    expect(security.html).toContain("No API tokens yet.");
    const created = await browser.post("/app/settings/security/tokens", { name: "fg" });
    const token = /<code>(pcdn-[0-9a-f]+)<\/code>/.exec(created.html)?.[1];
    expect(token).toMatch(PIXEL_KEY_PATTERN);
    const truth = (await adminAccounts(vendor().adminUrl!)).find((a) => a.email === "existing@customer.test");
    expect(truth?.keys.map((k) => k.value)).toEqual([token]);
  });

  it("signs up with aria-labelled fields and confirms an alphanumeric emailed code", async () => {
    const { accountId, address } = await givenInbox();
    const browser = new Browser(vendor().url);
    const join = await browser.get("/join");
    expect(join.html).toContain('aria-label="Choose a password"');
    expect(join.html).not.toContain("placeholder=");
    const mismatch = await browser.post("/join", {
      email: address,
      password: "pixels-are-1",
      password2: "other-pass-1",
    });
    expect(mismatch.status).toBe(422);
    const confirm = await browser.post("/join", {
      email: address,
      password: "pixels-are-1",
      password2: "pixels-are-1",
    });
    expect(confirm.url).toMatch(/\/join\/confirm$/);
    const code = Email.extractCode(await waitForMail(accountId, address, { from: "pixel-cdn" }));
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(code).toMatch(/[A-Z]/);
    const app = await browser.post("/join/confirm", { code: code?.toLowerCase() ?? "" });
    expect(app.url).toMatch(/\/app$/);
  });

  it("lets tests seed an existing account through the admin endpoint", async () => {
    const response = await fetch(vendor().adminUrl!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "seeded@customer.test", password: "seeded-pass-1" }),
    });
    expect(response.status).toBe(201);
    const app = await new Browser(vendor().url).post("/signin", {
      email: "seeded@customer.test",
      password: "seeded-pass-1",
    });
    expect(app.url).toMatch(/\/app$/);
  });
});
