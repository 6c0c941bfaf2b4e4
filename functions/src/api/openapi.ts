import { Actor, VisibleError } from "@fg/core";
import { type Hook, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "./env.ts";
import { Problem } from "./problem.ts";

const prefixes: Record<string, string> = { json: "", query: "query.", param: "path.", header: "header." };

const validationHook: Hook<unknown, ApiEnv, string, unknown> = (result) => {
  if (result.success) return;
  const prefix = prefixes[result.target] ?? `${result.target}.`;
  const errors = result.error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    return keys.map((key) => ({
      path: `${prefix}${[...at, ...(key === undefined ? [] : [key])].join(".")}` || "(root)",
      message: key === undefined ? issue.message : "is not a known field",
    }));
  });
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  throw new VisibleError("input", "validation", `Invalid input: ${detail}`, { errors });
};

/** A resource sub-app; its validation failures become the app's problem+json 400s. */
export function router() {
  return new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
}

export function json<S extends z.ZodType>(schema: S, description = "OK") {
  return { description, content: { "application/json": { schema } } };
}

export function body<S extends z.ZodType>(schema: S) {
  return { required: true, content: { "application/json": { schema } } };
}

const problemContent = { "application/problem+json": { schema: Problem } };

const descriptions: Record<number, string> = {
  400: "Invalid input (each bad field listed in `errors`) or malformed JSON",
  401: "Missing, malformed or revoked API key",
  403: "The API key lacks the needed scope",
  404: "No such resource in this account",
  409: "Conflict with the resource's current state",
  413: "Body over 64 KiB",
  415: "Body is not application/json",
  422: "Idempotency-Key reused with a different request",
  429: "Rate limit exceeded; see Retry-After",
};

/** The problem responses a route can produce, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    [...new Set([401, 429, ...statuses])].map((status) => [
      status,
      { description: descriptions[status] ?? "Error", content: problemContent },
    ]),
  );
}

export function list<S extends z.ZodType>(item: S) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

export function IdParam<S extends z.ZodType>(prefix: string, schema: S) {
  return z.object({
    id: schema.meta({ example: `${prefix}_01JD2V6ZQ4T3N8K5W7Y9B1C3EF` }),
  });
}

export function scope(required: Actor.Scope): MiddlewareHandler<ApiEnv> {
  return async (_c, next) => {
    Actor.assertScope(required);
    await next();
  };
}

export const security = [{ bearer: [] }];
