import { Hono } from "hono";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { stripeWebhookRoutes } from "../src/api/stripe-webhook.ts";

const secret = "whsec_route_test";
process.env.FG_STRIPE_WEBHOOK_SECRET = secret;

const app = new Hono().route("/v1/webhooks/stripe", stripeWebhookRoutes);

/** Pretty-printed on purpose: the signature covers the exact bytes, so the route must verify the raw body. */
function payload(type: string) {
  return JSON.stringify(
    {
      id: `evt_route_${Date.now()}_${Math.random().toString(36).slice(2)}`,
      object: "event",
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      type,
      data: { object: { id: "cus_1", object: "customer" } },
    },
    null,
    2,
  );
}

const deliver = (body: string, signature?: string) =>
  app.request("/v1/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    body,
  });

describe("POST /v1/webhooks/stripe", () => {
  it("verifies the raw body and acknowledges an event it does not handle", async () => {
    const body = payload("customer.created");
    const response = await deliver(body, Stripe.webhooks.generateTestHeaderString({ payload: body, secret }));
    expect(response.status).toBe(200);
    expect(response.headers.get("stripe-version")).toBe(Stripe.API_VERSION);
    expect(await response.json()).toEqual({ received: true, ignored: true });
  });

  it("answers a bad or stale signature with a 400 problem", async () => {
    const body = payload("customer.created");
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    for (const signature of [undefined, "t=1,v1=deadbeef", stale]) {
      const response = await deliver(body, signature);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 400, code: "webhook.bad_signature" });
    }
  });
});
