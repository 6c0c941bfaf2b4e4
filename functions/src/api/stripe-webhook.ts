import { isVisibleError, Webhook } from "@fg/core";
import { Hono } from "hono";
import type { ApiEnv } from "./env.ts";
import { problem } from "./problem.ts";

/**
 * POST /v1/webhooks/stripe (mounted by the app; no API key: the Stripe signature authenticates). The raw body
 * is verified as sent, then handed to core. `issuing_authorization.request` is answered in this response.
 */
export const stripeWebhookRoutes = new Hono<ApiEnv>().post("/", async (c) => {
  const payload = await c.req.text();
  try {
    const reply = await Webhook.handleStripe({ payload, signature: c.req.header("stripe-signature") });
    return c.json(reply.body, reply.status, reply.headers);
  } catch (error) {
    if (isVisibleError(error)) return problem(c, error);
    throw error;
  }
});
