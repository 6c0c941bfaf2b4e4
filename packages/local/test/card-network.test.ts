import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { launchBrowser } from "@fg/agent/browser";
import { Account, Actor, Job, Ledger, Money, PaymentRail, Vault } from "@fg/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CardNetworkServer, startCardNetwork } from "../src/card-network/index.ts";

interface Details {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

let network: CardNetworkServer;

beforeAll(async () => {
  network = await startCardNetwork();
});
afterAll(async () => {
  await network.stop();
});

/** A paid relay-mail job in provisioning with its card details read back from the vault. */
async function provisioningJob(
  maxSpend: number,
): Promise<{ accountId: string; jobId: string; card: Details }> {
  const { account } = await Account.signup({ email: `net-${Date.now()}-${Math.random()}@example.com` });
  return Actor.system("test", account.id, async () => {
    await PaymentRail.addCard({ paymentMethod: "pm_card_visa" });
    const job = await Job.create({
      vendor: "relay-mail",
      goal: "api_key",
      maxSpend: { amount: maxSpend, currency: "usd" },
    });
    for (const to of ["planning", "charging"] as const) await Job.transition({ id: job.id, to });
    await Money.chargeForJob({ jobId: job.id });
    await Job.transition({ id: job.id, to: "issuing_card" });
    const issued = await Money.issueCardForJob({ jobId: job.id });
    await Job.transition({ id: job.id, to: "provisioning" });
    const card = JSON.parse(await Vault.use().get(issued.vaultRef!, { reason: "test checkout" })) as Details;
    return { accountId: account.id, jobId: job.id, card };
  });
}

const post = (path: string, body: unknown) =>
  fetch(`${network.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("local card network", () => {
  it("authorizes, captures and refunds over HTTP, and settles the job from what was captured", async () => {
    const { accountId, jobId, card } = await provisioningJob(2000);
    const auth = await post("/authorize", {
      card,
      merchant: { name: "RELAYMAIL* STARTER" },
      amount: 1500,
      currency: "usd",
    });
    expect(auth.status).toBe(200);
    const decision = (await auth.json()) as { approved: boolean; authorizationId: string };
    expect(decision).toEqual({ approved: true, authorizationId: expect.stringMatching(/^iauth_/) });

    const capture = await post("/capture", { authorizationId: decision.authorizationId, amount: 1500 });
    const captured = (await capture.json()) as { captured: boolean; transactionId: string };
    expect(captured).toEqual({ captured: true, transactionId: expect.stringMatching(/^ipi_/) });
    const refund = await post("/refund", { transactionId: captured.transactionId, amount: 200 });
    expect(await refund.json()).toMatchObject({ refunded: true });

    const settled = await Actor.system("test", accountId, async () => {
      await Job.transition({ id: jobId, to: "settling" });
      return Money.settleJob({ jobId });
    });
    expect(settled.reconciliation).toMatchObject({
      captured: 2000,
      spent: 1300,
      refunded: 700,
      balanced: true,
    });
    expect(await Actor.system("test", accountId, () => Ledger.verify())).toMatchObject({ valid: true });
  });

  it("answers a malformed authorization with a decline and unknown ids with 404, echoing no card data", async () => {
    const bad = await post("/authorize", { card: { number: "4000 0000 0000 0002" }, amount: -1 });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(JSON.parse(body)).toEqual({ approved: false, reason: "invalid_request" });
    expect(body).not.toContain("4000");
    const unknown = await post("/capture", { authorizationId: "iauth_nope", amount: 1 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "network.authorization_not_found" });
  });

  it("serves a card form whose inputs are labelled for the agent", async () => {
    const page = await fetch(`${network.url}/frame?merchant=RELAYMAIL*%20STARTER&amount=1500&currency=usd`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const label of ["Card number", "Expiry (MM/YY)", "CVC", "Name on card"]) {
      expect(html).toContain(`>${label}</label>`);
    }
    expect(html).toContain(">Pay</button>");
    expect(html).toContain("15.00 USD");
    expect((await fetch(`${network.url}/frame?merchant=&amount=abc`)).status).toBe(400);
  });

  it("pays from inside an embedded frame and tells the parent page the outcome", {
    timeout: 180_000,
  }, async () => {
    const { card } = await provisioningJob(1500);
    const frameUrl = `${network.url}/frame?merchant=${encodeURIComponent("RELAYMAIL* STARTER")}&amount=1500&currency=usd`;
    const checkout: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>Checkout</title>
<iframe title="Card payment" src="${frameUrl}" width="400" height="400"></iframe>
<script>window.addEventListener("message", (e) => { if (e.data && e.data.source === "fg-card-network") window.__result = e.data; });</script>`);
    });
    await new Promise<void>((resolve) => checkout.listen(0, "127.0.0.1", resolve));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(checkout.address() as AddressInfo).port}/`);
      const frame = page.frameLocator('iframe[title="Card payment"]');
      await frame.getByLabel("Card number").fill(card.number);
      await frame.getByLabel("Expiry (MM/YY)").fill(card.expiry);
      await frame.getByLabel("CVC").fill(card.cvc);
      await frame.getByLabel("Name on card").fill(card.name);
      await frame.getByRole("button", { name: "Pay" }).click();
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined);
      const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as {
        approved: boolean;
        authorizationId: string;
      };
      expect(result).toMatchObject({
        source: "fg-card-network",
        approved: true,
        authorizationId: expect.stringMatching(/^iauth_/),
      });
      expect(await frame.getByRole("status").textContent()).toBe("Payment approved");
      const capture = await post("/capture", { authorizationId: result.authorizationId, amount: 1500 });
      expect(await capture.json()).toMatchObject({ captured: true });
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => checkout.close(() => resolve()));
    }
  });
});
