import { Credential, Id } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { IdParam, json, list, problems, router, scope, security } from "./openapi.ts";

const Info = Credential.Info.meta({ id: "Credential" });
const CredentialId = IdParam("cred", Id.schema("credential"));
const tags = ["credentials"];

const RevealInput = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .meta({ id: "RevealInput" });

export const credentials = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "List credentials (metadata only), newest first",
      middleware: [scope("jobs:read")],
      request: {
        query: z
          .object({
            vendor: z.string().min(1).max(2048).optional(),
            jobId: Id.schema("job").optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
            cursor: z.string().min(1).max(2048).optional(),
          })
          .strict(),
      },
      responses: { 200: json(list(Info)), ...problems(400, 403) },
    }),
    async (c) => c.json(await Credential.list(c.req.valid("query"))),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      tags,
      security,
      summary: "A credential's metadata (never its value)",
      middleware: [scope("jobs:read")],
      request: { params: CredentialId },
      responses: { 200: json(Info), ...problems(400, 403, 404) },
    }),
    async (c) => c.json(await Credential.get(c.req.valid("param"))),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{id}/reveal",
      tags,
      security,
      summary: "The credential's value; needs the credentials:read scope and is audited",
      middleware: [scope("credentials:read")],
      request: {
        params: CredentialId,
        body: { required: false, content: { "application/json": { schema: RevealInput } } },
      },
      responses: {
        200: json(Credential.Revealed.meta({ id: "RevealedCredential" })),
        ...problems(400, 403, 404, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { reason } = (c.req.valid("json") ?? {}) as z.infer<typeof RevealInput>;
      return c.json(await Credential.reveal({ id, reason: reason ?? "revealed through the API" }));
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{id}",
      tags,
      security,
      summary: "Delete a credential and its vault secret",
      middleware: [scope("jobs:write")],
      request: { params: CredentialId },
      responses: { 204: { description: "Deleted" }, ...problems(400, 403, 404) },
    }),
    async (c) => {
      await Credential.remove(c.req.valid("param"));
      return c.body(null, 204);
    },
  );
