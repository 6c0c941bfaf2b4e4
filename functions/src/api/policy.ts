import { Policy } from "@fg/core";
import { createRoute } from "@hono/zod-openapi";
import { body, json, problems, router, scope, security } from "./openapi.ts";

const Info = Policy.Info.meta({ id: "Policy" });
const tags = ["policy"];

export const policy = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "The account's spending policy",
      middleware: [scope("jobs:read")],
      responses: { 200: json(Info), ...problems(403) },
    }),
    async (c) => c.json(await Policy.get({})),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/",
      tags,
      security,
      summary: "Change some fields of the policy; the others keep their values",
      middleware: [scope("admin")],
      request: { body: body(Policy.put.schema.meta({ id: "PolicyInput" })) },
      responses: { 200: json(Info), ...problems(400, 403) },
    }),
    async (c) => c.json(await Policy.put(c.req.valid("json"))),
  );
