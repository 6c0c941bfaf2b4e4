import { VisibleError } from "@fg/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { methodNotAllowed } from "hono/method-not-allowed";
import { apiKeys } from "./api-keys.ts";
import { audit } from "./audit.ts";
import { credentials } from "./credentials.ts";
import type { ApiEnv } from "./env.ts";
import { jobs } from "./jobs.ts";
import { ledger } from "./ledger.ts";
import { authenticate } from "./middleware/auth.ts";
import { limitBody, requireJson } from "./middleware/body.ts";
import { idempotency } from "./middleware/idempotency.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { requestId } from "./middleware/request-id.ts";
import { paymentMethods } from "./payment-methods.ts";
import { policy } from "./policy.ts";
import { onError, problem } from "./problem.ts";
import { signup } from "./signup.ts";
import { stripeWebhookRoutes } from "./stripe-webhook.ts";
import { vendors } from "./vendors.ts";
import { webhookEndpoints } from "./webhook-endpoints.ts";

const OPEN_PATHS = new Set(["/v1/signup", "/v1/webhooks/stripe"]);

/** The one public API app, served by the Lambda handler and by the local runtime alike. */
export function createApp() {
  const app = new OpenAPIHono<ApiEnv>();
  app.use(requestId);
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problem(
          c,
          new VisibleError(
            "method_not_allowed",
            "request.method_not_allowed",
            `${c.req.method} is not supported here; use ${methods.join(", ")}`,
          ),
          { allow: methods.join(", ") },
        ),
    }),
  );
  app.use(
    "/v1/*",
    limitBody,
    requireJson,
    authenticate((path) => OPEN_PATHS.has(path)),
    rateLimit,
    idempotency,
  );

  app.route("/v1/signup", signup);
  app.route("/v1/api-keys", apiKeys);
  app.route("/v1/jobs", jobs);
  app.route("/v1/credentials", credentials);
  app.route("/v1/payment-methods", paymentMethods);
  app.route("/v1/policy", policy);
  app.route("/v1/vendors", vendors);
  app.route("/v1/ledger", ledger);
  app.route("/v1/audit", audit);
  app.route("/v1/webhook-endpoints", webhookEndpoints);
  app.route("/v1/webhooks/stripe", stripeWebhookRoutes);

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (fg_sk_…) from POST /v1/signup or POST /v1/api-keys",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "fg API",
      version: "1.0.0",
      description:
        "Provision SaaS accounts and API keys. Errors are RFC 9457 application/problem+json; amounts are integer cents.",
    },
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "fg API" }));

  app.notFound((c) => problem(c, new VisibleError("not_found", "route.not_found", "No such route")));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
