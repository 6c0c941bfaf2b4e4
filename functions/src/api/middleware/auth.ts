import { Actor, VisibleError } from "@fg/core";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "../env.ts";
import { verifyCached } from "./key-cache.ts";

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/** Resolves the bearer key to an account actor for the rest of the request; paths in `open` skip it. */
export function authenticate(open: (path: string) => boolean): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (open(c.req.path)) return next();
    const header = c.req.header("authorization");
    if (!header) {
      throw new VisibleError("auth", "auth.missing", "Send an API key as `Authorization: Bearer fg_sk_…`");
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      throw new VisibleError("auth", "auth.malformed", "The Authorization header must be `Bearer <API key>`");
    }
    const actor = await verifyCached(token);
    if (!actor) throw new VisibleError("auth", "auth.invalid", "The API key is not valid or was revoked");
    return Actor.provide(actor, () => next());
  };
}
