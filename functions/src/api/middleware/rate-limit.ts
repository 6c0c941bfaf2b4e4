import { Actor, RateLimit, VisibleError } from "@fg/core";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "../env.ts";

const WINDOW_SECONDS = 60;

/** A fixed one-minute budget per API key, counted in DynamoDB so every API instance shares it. */
export const rateLimit: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const apiKeyId = Actor.apiKeyId();
  if (!apiKeyId) return next();
  const limit = RateLimit.perMinute();
  const result = await RateLimit.hit({ subject: apiKeyId, limit, windowSeconds: WINDOW_SECONDS });
  c.header("ratelimit-limit", String(result.limit));
  c.header("ratelimit-remaining", String(result.remaining));
  c.header("ratelimit-reset", String(result.resetSeconds));
  c.header("ratelimit-policy", `${result.limit};w=${WINDOW_SECONDS}`);
  if (!result.allowed) {
    c.header("retry-after", String(result.resetSeconds));
    throw new VisibleError(
      "rate_limited",
      "rate_limit.exceeded",
      `This API key made more than ${result.limit} requests this minute; retry after ${result.resetSeconds} s`,
    );
  }
  await next();
};
