import { Audit } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { json, list, problems, router, scope, security } from "./openapi.ts";

export const audit = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["audit"],
    security,
    summary: "Who revealed, deleted, canceled or approved what, newest first",
    middleware: [scope("admin")],
    request: {
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(100).optional(),
          cursor: z.string().min(1).max(2048).optional(),
        })
        .strict(),
    },
    responses: { 200: json(list(Audit.Info.meta({ id: "AuditEntry" }))), ...problems(400, 403) },
  }),
  async (c) => c.json(await Audit.list(c.req.valid("query"))),
);
