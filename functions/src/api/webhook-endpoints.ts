import { Id, WebhookEndpoint } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { body, IdParam, json, list, problems, router, scope, security } from "./openapi.ts";

const Info = WebhookEndpoint.Info.meta({ id: "WebhookEndpoint" });
const EndpointId = IdParam("whe", Id.schema("webhookEndpoint"));
const tags = ["webhooks"];

export const webhookEndpoints = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      security,
      summary:
        "Subscribe a URL to job events; deliveries are signed per Standard Webhooks with the returned secret",
      middleware: [scope("admin")],
      request: { body: body(WebhookEndpoint.create.schema.meta({ id: "WebhookEndpointInput" })) },
      responses: {
        201: json(WebhookEndpoint.Created.meta({ id: "WebhookEndpointCreated" }), "Created"),
        ...problems(400, 403, 409),
      },
    }),
    async (c) => c.json(await WebhookEndpoint.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "List webhook endpoints",
      middleware: [scope("admin")],
      responses: { 200: json(list(Info)), ...problems(403) },
    }),
    async (c) => c.json({ data: await WebhookEndpoint.list({}), nextCursor: null }),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      tags,
      security,
      summary: "A webhook endpoint",
      middleware: [scope("admin")],
      request: { params: EndpointId },
      responses: { 200: json(Info), ...problems(400, 403, 404) },
    }),
    async (c) => c.json(await WebhookEndpoint.get(c.req.valid("param"))),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{id}",
      tags,
      security,
      summary: "Delete a webhook endpoint",
      middleware: [scope("admin")],
      request: { params: EndpointId },
      responses: { 200: json(Info), ...problems(400, 403, 404) },
    }),
    async (c) => c.json(await WebhookEndpoint.remove(c.req.valid("param"))),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}/deliveries",
      tags,
      security,
      summary: "The delivery log: every message and each attempt to deliver it, newest first",
      middleware: [scope("admin")],
      request: {
        params: EndpointId,
        query: z
          .object({
            limit: z.coerce.number().int().min(1).max(100).optional(),
            cursor: z.string().min(1).max(2048).optional(),
          })
          .strict(),
      },
      responses: {
        200: json(list(WebhookEndpoint.Delivery.meta({ id: "WebhookDelivery" }))),
        ...problems(400, 403, 404),
      },
    }),
    async (c) =>
      c.json(await WebhookEndpoint.deliveries({ ...c.req.valid("param"), ...c.req.valid("query") })),
  );
