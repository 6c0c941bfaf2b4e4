import { CardNetwork, isVisibleError } from "@fg/core";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { frameHtml } from "./frame.ts";

const statusOf: Record<string, ContentfulStatusCode> = {
  input: 400,
  not_found: 404,
  conflict: 409,
  payment: 402,
  unprocessable: 422,
};

/**
 * The local card network (SPEC §4): vendors' checkouts authorize card details here, then capture and refund
 * server to server. Decisions come from the same core code as Stripe's real-time authorization webhook.
 */
export function createCardNetworkApp(): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    if (isVisibleError(error)) {
      return c.json({ error: error.code, message: error.message }, statusOf[error.kind] ?? 400);
    }
    return c.json({ error: "internal", message: "The card network failed to process the request" }, 500);
  });

  app.post("/authorize", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const parsed = CardNetwork.AuthorizeInput.safeParse(body);
    if (!parsed.success) return c.json({ approved: false, reason: "invalid_request" }, 400);
    return c.json(await CardNetwork.authorize(parsed.data));
  });

  app.post("/capture", async (c) => c.json(await CardNetwork.capture(await c.req.json().catch(() => ({})))));

  app.post("/refund", async (c) => c.json(await CardNetwork.refund(await c.req.json().catch(() => ({})))));

  app.get("/frame", (c) => {
    const merchant = c.req.query("merchant") ?? "";
    const amount = Number(c.req.query("amount") ?? "0");
    const currency = (c.req.query("currency") ?? "usd").toLowerCase();
    if (!merchant || !Number.isInteger(amount) || amount <= 0 || !/^[a-z]{3}$/.test(currency)) {
      return c.text("merchant, a positive integer amount (cents) and a currency are required", 400);
    }
    c.header("Cache-Control", "no-store");
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    );
    return c.html(frameHtml({ merchant, amount, currency }));
  });

  app.get("/health", (c) => c.json({ ok: true }));

  return app;
}
