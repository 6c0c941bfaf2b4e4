import { Id } from "@fg/core";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "../env.ts";

/** Every response carries a fresh id (never the client's), which problem bodies quote as `instance`. */
export const requestId: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const id = Id.create("request");
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
};
