import { Actor, Idempotency, VisibleError } from "@fg/core";
import { canonicalJson, sha256Hex } from "@fg/core/util/canonical";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "../env.ts";

const HEADER = "idempotency-key";

/**
 * Same key + same request → the first response, replayed; same key + different request → 422. Only
 * successful responses are kept, so a failed attempt can be retried with the same key.
 */
export const idempotency: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = c.req.header(HEADER);
  if (c.req.method !== "POST" || key === undefined || Actor.use().type !== "account") return next();
  const parsedKey = Idempotency.Key.safeParse(key);
  if (!parsedKey.success) {
    const message = parsedKey.error.issues[0]?.message ?? "is not valid";
    throw new VisibleError("input", "validation", `Invalid input: header.idempotency-key: ${message}`, {
      errors: [{ path: "header.idempotency-key", message }],
    });
  }
  const text = await c.req.raw.clone().text();
  let requestBody: unknown = null;
  if (text.length > 0) {
    try {
      requestBody = JSON.parse(text);
    } catch {
      return next();
    }
  }
  const scope = `${c.req.method} ${c.req.path}`;
  const requestHash = sha256Hex(canonicalJson({ scope, body: requestBody }));
  const outcome = await Idempotency.begin({ scope, key: parsedKey.data, requestHash });
  if (outcome.replay) {
    c.header("idempotent-replayed", "true");
    return c.json(outcome.response as object, outcome.statusCode as 200);
  }
  try {
    await next();
  } catch (error) {
    await Idempotency.abandon({ scope, key: parsedKey.data });
    throw error;
  }
  if (c.error || c.res.status >= 300) {
    await Idempotency.abandon({ scope, key: parsedKey.data });
    return;
  }
  const response = await c.res.clone().json();
  await Idempotency.complete({ scope, key: parsedKey.data, statusCode: c.res.status, response });
};
