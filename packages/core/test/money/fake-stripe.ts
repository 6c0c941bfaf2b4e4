import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createStripe } from "../../src/index.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  idempotencyKey: string | undefined;
}

type Json = Record<string, unknown>;

const TEST_TOKENS: Record<string, { last4: string; decline?: string }> = {
  pm_card_visa: { last4: "4242" },
  pm_card_chargeDeclined: { last4: "0002", decline: "generic_decline" },
  pm_card_insufficientFunds: { last4: "9995", decline: "insufficient_funds" },
};

/**
 * A loopback stand-in for api.stripe.com that the real SDK talks to over HTTP. It records every request
 * (method, path, form body, Idempotency-Key), keeps just enough state to answer like Stripe, and replays the
 * first response for a repeated Idempotency-Key as Stripe does.
 */
export async function startFakeStripe() {
  const requests: RecordedRequest[] = [];
  const replay = new Map<string, { status: number; body: Json }>();
  const counters = new Map<string, number>();
  const id = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${n}`;
  };
  const customers = new Map<string, Json>();
  const paymentMethods = new Map<string, Json & { token: string; customer: string }>();
  const intents = new Map<string, Json>();
  const cards = new Map<string, Json>();
  const transactions: Json[] = [];

  function route(req: RecordedRequest): { status: number; body: Json } {
    const { method, path, form } = req;
    const metadata = Object.fromEntries(
      Object.entries(form)
        .filter(([k]) => k.startsWith("metadata["))
        .map(([k, v]) => [k.slice(9, -1), v]),
    );
    if (method === "POST" && path === "/v1/customers") {
      const customer = { id: id("cus"), object: "customer", metadata, invoice_settings: {} };
      customers.set(customer.id, customer);
      return ok(customer);
    }
    const customerUpdate = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (method === "POST" && customerUpdate) {
      const customer = customers.get(customerUpdate[1]!);
      if (!customer) return missing("customer");
      customer.invoice_settings = {
        default_payment_method: form["invoice_settings[default_payment_method]"],
      };
      return ok(customer);
    }
    if (method === "POST" && path === "/v1/setup_intents") {
      const token = form.payment_method;
      let pm: string | null = null;
      if (token && form.confirm === "true") {
        pm = id("pm");
        paymentMethods.set(pm, { id: pm, token, customer: form.customer ?? "" });
      }
      return ok({
        id: id("seti"),
        object: "setup_intent",
        status: pm ? "succeeded" : "requires_payment_method",
        client_secret: "seti_secret_test",
        payment_method: pm,
        customer: form.customer,
        metadata,
      });
    }
    if (method === "GET" && path === "/v1/payment_methods") {
      const data = [...paymentMethods.values()]
        .filter((pm) => pm.customer === req.query.customer)
        .map((pm) => ({
          id: pm.id,
          object: "payment_method",
          type: "card",
          card: {
            brand: "visa",
            last4: TEST_TOKENS[pm.token]?.last4 ?? "4242",
            exp_month: 12,
            exp_year: 2030,
          },
        }));
      return ok({ object: "list", data, has_more: false, url: "/v1/payment_methods" });
    }
    if (method === "POST" && path === "/v1/payment_intents") {
      const pm = paymentMethods.get(form.payment_method ?? "");
      const intent = {
        id: id("pi"),
        object: "payment_intent",
        amount: Number(form.amount),
        currency: form.currency,
        customer: form.customer,
        metadata,
        status: "succeeded",
      };
      const decline = pm ? TEST_TOKENS[pm.token]?.decline : "generic_decline";
      if (decline) {
        const failed = { ...intent, status: "requires_payment_method" };
        intents.set(failed.id, failed);
        return {
          status: 402,
          body: {
            error: {
              type: "card_error",
              code: "card_declined",
              decline_code: decline,
              message: "Your card was declined.",
              payment_intent: failed,
            },
          },
        };
      }
      intents.set(intent.id, intent);
      return ok(intent);
    }
    if (method === "GET" && path === "/v1/payment_intents/search") {
      const key = /metadata\['fg_key'\]:'([^']*)'/.exec(req.query.query ?? "")?.[1];
      const data = [...intents.values()].filter((i) => (i.metadata as Json).fg_key === key);
      return ok({ object: "search_result", data, has_more: false, url: "/v1/payment_intents/search" });
    }
    if (method === "POST" && path === "/v1/refunds") {
      return ok({
        id: id("re"),
        object: "refund",
        amount: Number(form.amount),
        currency: "usd",
        payment_intent: form.payment_intent,
        status: "succeeded",
        metadata,
      });
    }
    if (method === "POST" && path === "/v1/issuing/cardholders") {
      return ok({ id: id("ich"), object: "issuing.cardholder", name: form.name, metadata });
    }
    if (method === "POST" && path === "/v1/issuing/cards") {
      const n = id("ic");
      const card = {
        id: n,
        object: "issuing.card",
        cardholder: form.cardholder,
        currency: form.currency,
        type: form.type,
        status: form.status,
        last4: "0005",
        exp_month: 8,
        exp_year: 2029,
        metadata,
        spending_controls: { spending_limits: [] },
      };
      cards.set(n, card);
      return ok(card);
    }
    const cardPath = /^\/v1\/issuing\/cards\/([^/]+)$/.exec(path);
    if (cardPath) {
      const card = cards.get(cardPath[1]!);
      if (!card) return missing("issuing.card");
      if (method === "GET") {
        const expand = Object.values(req.query);
        return ok({
          ...card,
          ...(expand.includes("number") ? { number: "4000009990000005" } : {}),
          ...(expand.includes("cvc") ? { cvc: "987" } : {}),
        });
      }
      if (form.status) card.status = form.status;
      return ok(card);
    }
    if (method === "GET" && path === "/v1/issuing/transactions") {
      const data = transactions.filter((t) => t.card === req.query.card);
      return ok({ object: "list", data, has_more: false, url: "/v1/issuing/transactions" });
    }
    return missing(path);
  }

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: Object.fromEntries(new URLSearchParams(body)),
      idempotencyKey: header(req, "idempotency-key"),
    };
    requests.push(recorded);
    const replayKey =
      recorded.idempotencyKey && `${recorded.method} ${recorded.path} ${recorded.idempotencyKey}`;
    const response = (replayKey && replay.get(replayKey)) || route(recorded);
    if (replayKey) replay.set(replayKey, response);
    res.writeHead(response.status, { "content-type": "application/json", "request-id": "req_fake" });
    res.end(JSON.stringify(response.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    requests,
    /** Adds an Issuing transaction the way Stripe would list it. */
    addTransaction(transaction: Json) {
      transactions.push(transaction);
    },
    stripe: () =>
      createStripe({
        apiKey: "sk_test_fake",
        host: "127.0.0.1",
        port,
        protocol: "http",
        maxNetworkRetries: 0,
      }),
    clear() {
      requests.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

function ok(body: Json) {
  return { status: 200, body };
}

function missing(what: string) {
  return { status: 404, body: { error: { type: "invalid_request_error", message: `No such ${what}` } } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      data += chunk;
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
