import { VisibleError } from "@fg/core";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiEnv } from "../env.ts";
import { tooLarge } from "../problem.ts";

export const MAX_BODY_BYTES = 64 * 1024;

const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/** GET and HEAD bodies are never read, so they skip the check (which would build a full Request). */
export const limitBody: MiddlewareHandler<ApiEnv> = (c, next) =>
  c.req.method === "GET" || c.req.method === "HEAD" ? next() : limit(c, next);

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding") || request.body !== null;
}

/** Bodies must be JSON; a body-less POST (cancel, approve) needs no content type. */
export const requireJson: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (["POST", "PUT", "PATCH", "DELETE"].includes(c.req.method) && hasBody(c.req.raw)) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new VisibleError(
        "unsupported_media_type",
        "request.unsupported_media_type",
        "Send the body as application/json",
      );
    }
  }
  await next();
};
