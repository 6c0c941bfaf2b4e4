import { Email } from "@fg/core/email/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELAY_KEY_PATTERN } from "../src/index.ts";
import { adminAccounts, Browser, givenInbox, startStack, waitForMail } from "./helpers.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const vendor = () => stack.vendors["relay-mail"];

/** Signs up in two steps and follows the emailed link; returns a browser signed in on the plan page. */
async function verifiedAccount(): Promise<{ browser: Browser; address: string }> {
  const { accountId, address } = await givenInbox();
  const browser = new Browser(vendor().url);
  const step1 = await browser.get("/signup");
  expect(step1.html).toContain('placeholder="Email address"');
  expect(step1.html).not.toContain("<label");
  const step2 = await browser.post("/signup", { email: address });
  expect(step2.url).toMatch(/\/signup\/details$/);
  expect(step2.html).toContain("Step 2 of 2");
  const check = await browser.post("/signup/details", { name: "Grace Hopper", password: "cobol-forever" });
  expect(check.html).toContain("We sent a verification link");
  const mail = await waitForMail(accountId, address, { from: "relay-mail" });
  const link = Email.extractLink(mail, { vendorHost: new URL(vendor().url).host });
  expect(link).toMatch(/\/verify-email\?token=[0-9a-f]{40}&source=signup$/);
  const plans = await browser.get(link ?? "");
  expect(plans.url).toMatch(/\/onboarding\/plan$/);
  return { browser, address };
}

describe("relay-mail", () => {
  it("verifies by link, sells Starter through the card-network iframe and reveals the key", async () => {
    const { browser, address } = await verifiedAccount();
    const checkout = await browser.post("/onboarding/plan", { plan: "starter" });
    expect(checkout.url).toMatch(/\/checkout\?plan=starter$/);
    const frame = `${stack.card.url}/frame?merchant=RELAYMAIL*STARTER&amp;amount=1500&amp;currency=usd`;
    expect(checkout.html).toContain(`src="${frame}"`);
    expect(checkout.html).toContain('title="Secure card payment"');

    // What the frame does in a browser: authorize, then the page posts the authorization id home.
    const auth = await stack.card.authorize(1500, "RELAYMAIL*STARTER");
    expect(auth.approved).toBe(true);
    const done = await browser.json("/checkout/complete", {
      plan: "starter",
      authorizationId: auth.authorizationId,
    });
    expect(done).toEqual({ status: 200, body: { ok: true } });
    expect(stack.card.captures).toContainEqual({ authorizationId: auth.authorizationId, amount: 1500 });
    const again = await browser.json("/checkout/complete", {
      plan: "starter",
      authorizationId: auth.authorizationId,
    });
    expect(again.status).toBe(200);
    expect(stack.card.captures.filter((c) => c.authorizationId === auth.authorizationId)).toHaveLength(1);

    const keys = await browser.get("/api-keys");
    expect(keys.html).toContain("rm_••••••••••••");
    expect(keys.html).toContain('aria-expanded="false">Reveal</button>');
    const truth = (await adminAccounts(vendor().adminUrl!)).find((a) => a.email === address);
    expect(truth).toMatchObject({ plan: "starter", paid: true, payments: [{ amount: 1500 }] });
    const key = truth?.keys[0]?.value ?? "";
    expect(key).toMatch(RELAY_KEY_PATTERN);
    expect(keys.html).not.toContain(key);
    const id = /data-key-id="([^"]+)"/.exec(keys.html)?.[1];
    const revealed = await browser.json(`/api-keys/${id}/reveal`);
    expect(revealed.body.key).toBe(key);
  });

  it("keeps API access locked on the free plan", async () => {
    const { browser } = await verifiedAccount();
    await browser.post("/onboarding/plan", { plan: "free" });
    const keys = await browser.get("/api-keys");
    expect(keys.html).toContain("API access requires a paid plan.");
  });

  it("does not upgrade when the network refuses the capture", async () => {
    const { browser, address } = await verifiedAccount();
    const refused = await browser.json("/checkout/complete", {
      plan: "starter",
      authorizationId: "auth_unknown",
    });
    expect(refused.status).toBe(402);
    const truth = (await adminAccounts(vendor().adminUrl!)).find((a) => a.email === address);
    expect(truth).toMatchObject({ paid: false, keys: [] });
  });

  it("asks an unverified account to confirm its email before signing in", async () => {
    const { address } = await givenInbox();
    const browser = new Browser(vendor().url);
    await browser.post("/signup", { email: address });
    await browser.post("/signup/details", { name: "Grace", password: "cobol-forever" });
    const signin = await new Browser(vendor().url).post("/signin", {
      email: address,
      password: "cobol-forever",
    });
    expect(signin.status).toBe(403);
    expect(signin.html).toContain("Please confirm your email first");
  });
});
