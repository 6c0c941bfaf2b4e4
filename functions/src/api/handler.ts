import { configureAdaptersFromEnv, WebhookEndpoint } from "@fg/core";
import type { Context } from "aws-lambda";
import { handle, type LambdaEvent } from "hono/aws-lambda";
import { createApp } from "./app.ts";

const app = handle(createApp());

/** API Gateway (HTTP API) entry: the same app as the local server. */
export const handler = async (event: LambdaEvent, context: Context) => {
  await configureAdaptersFromEnv();
  try {
    return await app(event, context);
  } finally {
    // Webhook dispatch runs beside the request; a frozen Lambda would never queue it.
    await WebhookEndpoint.idle();
  }
};
