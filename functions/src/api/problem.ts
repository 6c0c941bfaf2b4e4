import { type ErrorKind, isVisibleError, log, serializeError, VisibleError } from "@fg/core";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiEnv } from "./env.ts";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  input: 400,
  auth: 401,
  payment: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export function statusOf(kind: ErrorKind): ContentfulStatusCode {
  return STATUS[kind];
}

/** An RFC 9457 problem+json response; `instance` is the request id the client can quote. */
export function problem(c: Context<ApiEnv>, error: VisibleError, headers: Record<string, string> = {}) {
  const status = statusOf(error.kind);
  const body = {
    type: `https://fg.dev/problems/${error.code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail: error.message,
    instance: c.get("requestId") ?? "",
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { ...headers, "content-type": "application/problem+json" });
}

function fromHttpException(error: HTTPException): VisibleError {
  if (error.status === 400 && /json/i.test(error.message)) {
    return new VisibleError("input", "request.malformed_json", "The request body is not valid JSON");
  }
  if (error.status === 413) return tooLarge();
  if (error.status === 401) return new VisibleError("auth", "auth.invalid", "Authentication failed");
  return new VisibleError("input", "request.invalid", "The request could not be processed");
}

export function tooLarge(): VisibleError {
  return new VisibleError("payload_too_large", "request.too_large", "The request body is larger than 64 KiB");
}

/** The one error mapper: known failures become problems, anything else a 500 that echoes nothing. */
export function onError(error: Error, c: Context<ApiEnv>) {
  if (isVisibleError(error)) {
    const headers: Record<string, string> = {};
    if (error.kind === "auth") headers["www-authenticate"] = 'Bearer realm="fg"';
    return problem(c, error, headers);
  }
  if (error instanceof HTTPException) return problem(c, fromHttpException(error));
  log.error("unhandled API error", {
    requestId: c.get("requestId"),
    method: c.req.method,
    route: c.req.routePath,
    error: serializeError(error),
  });
  const requestId = c.get("requestId") ?? "";
  return c.body(
    JSON.stringify({
      type: "about:blank",
      title: TITLES[500],
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
      instance: requestId,
      code: "internal",
    }),
    500,
    { "content-type": "application/problem+json" },
  );
}
