import { ApiKey, Id } from "@fg/core";
import { createRoute } from "@hono/zod-openapi";
import { forgetKey } from "./middleware/key-cache.ts";
import { body, IdParam, json, list, problems, router, scope, security } from "./openapi.ts";

const Info = ApiKey.Info.meta({ id: "ApiKey" });
const tags = ["api keys"];

export const apiKeys = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      security,
      summary: "Create an API key; its secret is returned only in this response",
      middleware: [scope("admin")],
      request: { body: body(ApiKey.create.schema.meta({ id: "ApiKeyInput" })) },
      responses: {
        201: json(ApiKey.Created.meta({ id: "ApiKeyCreated" }), "Created"),
        ...problems(400, 403),
      },
    }),
    async (c) => c.json(await ApiKey.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "List API keys (never their secrets)",
      middleware: [scope("admin")],
      responses: { 200: json(list(Info)), ...problems(403) },
    }),
    async (c) => c.json({ data: await ApiKey.list({}), nextCursor: null }),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{id}",
      tags,
      security,
      summary: "Revoke an API key",
      middleware: [scope("admin")],
      request: { params: IdParam("key", Id.schema("apiKey")) },
      responses: { 200: json(Info), ...problems(400, 403, 404) },
    }),
    async (c) => {
      const revoked = await ApiKey.revoke(c.req.valid("param"));
      forgetKey(revoked.id);
      return c.json(revoked);
    },
  );
