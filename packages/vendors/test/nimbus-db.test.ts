import { Email } from "@fg/core/email/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NIMBUS_KEY_PATTERN } from "../src/index.ts";
import { nimbusDb } from "../src/nimbus-db.ts";
import { adminAccounts, Browser, givenInbox, startStack, waitForMail } from "./helpers.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const vendor = () => stack.vendors["nimbus-db"];

async function signUp(browser: Browser, address: string, password = "correct-horse-9") {
  return browser.post("/signup", { name: "Ada Lovelace", email: address, password, terms: "on" });
}

describe("nimbus-db", () => {
  it("signs up, verifies the emailed 6-digit code and issues a key shown once in a dialog", async () => {
    const { accountId, address } = await givenInbox();
    const browser = new Browser(vendor().url);
    const landing = await browser.get("/");
    expect(landing.html).toContain('href="/signup">Start free</a>');
    const signup = await browser.get("/signup");
    expect(signup.html).toContain('<label for="email">Work email</label>');
    const verify = await signUp(browser, address);
    expect(verify.url).toMatch(/\/verify$/);
    expect(verify.html).toContain("We sent a 6-digit code");

    const mail = await waitForMail(accountId, address, {
      from: "nimbus-db",
      subjectIncludes: "verification code",
    });
    const code = Email.extractCode(mail);
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await browser.post("/verify", { code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('role="alert"');
    const dashboard = await browser.post("/verify", { code: code ?? "" });
    expect(dashboard.url).toMatch(/\/dashboard$/);
    expect(dashboard.html).toContain("Welcome, Ada Lovelace");

    const keysPage = await browser.get("/settings/api-keys");
    expect(keysPage.html).toContain('<button type="button" id="create-key">Create key</button>');
    expect(keysPage.html).toContain('<dialog id="key-dialog"');
    expect(keysPage.html).toContain("This key will only be shown once.");
    const created = await browser.json("/api/keys", { name: "fg" });
    expect(created.status).toBe(201);
    expect(String(created.body.key)).toMatch(NIMBUS_KEY_PATTERN);

    const truth = (await adminAccounts(vendor().adminUrl!)).find((a) => a.email === address);
    expect(truth).toMatchObject({ verified: true, password: "correct-horse-9" });
    expect(truth?.keys.map((k) => k.value)).toEqual([created.body.key]);
    const after = await browser.get("/settings/api-keys");
    expect(after.html).not.toContain(String(created.body.key));
    expect(after.html).toContain(String(created.body.key).slice(0, 13));
  });

  it("logs an existing account in and sends an unverified one back to the code page", async () => {
    const { address } = await givenInbox();
    await signUp(new Browser(vendor().url), address, "hunter22-long");
    const browser = new Browser(vendor().url);
    const bad = await browser.post("/login", { email: address, password: "nope-nope" });
    expect(bad.status).toBe(401);
    const unverified = await browser.post("/login", { email: address, password: "hunter22-long" });
    expect(unverified.url).toMatch(/\/verify$/);
  });

  it("refuses a signup without the terms or with a taken email, keeping the typed values", async () => {
    const { address } = await givenInbox();
    const browser = new Browser(vendor().url);
    const noTerms = await browser.post("/signup", { name: "Ada", email: address, password: "longenough1" });
    expect(noTerms.status).toBe(422);
    expect(noTerms.html).toContain(`value="${address}"`);
    await signUp(browser, address);
    const taken = await signUp(new Browser(vendor().url), address);
    expect(taken.status).toBe(409);
  });

  it("resets a forgotten password through an emailed link", async () => {
    const { accountId, address } = await givenInbox();
    await signUp(new Browser(vendor().url), address);
    const browser = new Browser(vendor().url);
    await browser.post("/forgot-password", { email: address });
    const mail = await waitForMail(accountId, address, { subjectIncludes: "Reset" });
    const link = Email.extractLink(mail, { vendorHost: new URL(vendor().url).host });
    expect(link).toContain("/reset-password?token=");
    const form = await browser.get(link ?? "");
    const token = /name="token" value="([^"]+)"/.exec(form.html)?.[1] ?? "";
    const dashboard = await browser.post("/reset-password", { token, password: "brand-new-pass" });
    expect(dashboard.url).toMatch(/\/dashboard$/);
  });

  it("hides the admin endpoint unless admin is on", async () => {
    const off = nimbusDb({ admin: false, sendMail: async () => {} });
    expect((await off.app.request("/__admin/accounts")).status).toBe(404);
    const on = nimbusDb({ admin: true, sendMail: async () => {} });
    expect((await on.app.request("/__admin/accounts")).status).toBe(200);
  });
});
