import Stripe from "stripe";
import { VisibleError } from "../util/error.ts";

export interface StripeClientOptions {
  apiKey?: string;
  /** Tests point the SDK at a loopback server: host 127.0.0.1, its port, protocol "http". */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  maxNetworkRetries?: number;
}

/** A Stripe SDK client from FG_STRIPE_SECRET_KEY unless given a key. */
export function createStripe(options: StripeClientOptions = {}): Stripe {
  const apiKey = options.apiKey ?? process.env.FG_STRIPE_SECRET_KEY;
  if (!apiKey) {
    throw new VisibleError("unprocessable", "stripe.not_configured", "FG_STRIPE_SECRET_KEY is not set");
  }
  return new Stripe(apiKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
  });
}
