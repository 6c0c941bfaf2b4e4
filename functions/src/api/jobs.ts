import { Id, Job, JobEvent } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { streamJobEvents } from "./job-events.ts";
import { body, IdParam, json, list, problems, router, scope, security } from "./openapi.ts";

const Info = Job.Info.meta({ id: "Job" });
const Event = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    at: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "JobEvent" });
const JobId = IdParam("job", Id.schema("job"));
const tags = ["jobs"];

const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .meta({ description: "Same key + same body replays the first response; a different body is a 422" }),
});

export const jobs = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      security,
      summary: "Start a provisioning job",
      middleware: [scope("jobs:write")],
      request: { headers: IdempotencyHeader, body: body(Job.create.schema.meta({ id: "JobInput" })) },
      responses: {
        202: json(Info, "Accepted: the job is queued"),
        ...problems(400, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => c.json(await Job.submit(c.req.valid("json")), 202),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "List jobs, newest first",
      middleware: [scope("jobs:read")],
      request: {
        query: z
          .object({
            status: Job.Status.optional(),
            vendor: z.string().min(1).max(2048).optional(),
            createdAfter: z.iso.datetime({ offset: true }).optional(),
            createdBefore: z.iso.datetime({ offset: true }).optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
            cursor: z.string().min(1).max(2048).optional(),
          })
          .strict(),
      },
      responses: { 200: json(list(Info)), ...problems(400, 403) },
    }),
    async (c) => c.json(await Job.list(c.req.valid("query"))),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}",
      tags,
      security,
      summary: "A job: status, steps, spend, credential ids, failure",
      middleware: [scope("jobs:read")],
      request: { params: JobId },
      responses: { 200: json(Info), ...problems(400, 403, 404) },
    }),
    async (c) => c.json(await Job.peek(c.req.valid("param"))),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{id}/events",
      tags,
      security,
      summary:
        "The job's events: Server-Sent Events (Accept: text/event-stream, resumes from Last-Event-ID) or JSON after a seq",
      middleware: [scope("jobs:read")],
      request: {
        params: JobId,
        query: z
          .object({
            after: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          })
          .strict(),
        headers: z.object({
          "last-event-id": z
            .string()
            .regex(/^\d{1,10}$/, "must be the seq of the last event received")
            .optional(),
        }),
      },
      responses: {
        200: {
          description: "JSON page, or an SSE stream whose `id:` is the event seq",
          content: {
            "application/json": { schema: list(Event) },
            "text/event-stream": { schema: z.string() },
          },
        },
        ...problems(400, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { after, limit } = c.req.valid("query");
      const lastEventId = c.req.valid("header")["last-event-id"];
      if ((c.req.header("accept") ?? "").includes("text/event-stream")) {
        return streamJobEvents(c, id, lastEventId === undefined ? (after ?? 0) : Number(lastEventId));
      }
      const pageSize = limit ?? 100;
      const data = await JobEvent.list({ jobId: id, after: after ?? 0, limit: pageSize });
      const last = data.at(-1);
      return c.json({ data, nextCursor: data.length === pageSize && last ? String(last.seq) : null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{id}/cancel",
      tags,
      security,
      summary: "Cancel a running job; the workflow refunds what was not spent",
      middleware: [scope("jobs:write")],
      request: { params: JobId },
      responses: { 200: json(Info), ...problems(400, 403, 404, 409) },
    }),
    async (c) => c.json(await Job.cancel(c.req.valid("param"))),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{id}/approve",
      tags,
      security,
      summary: "Approve a job waiting above the approval threshold",
      middleware: [scope("jobs:write")],
      request: { params: JobId },
      responses: { 200: json(Info), ...problems(400, 403, 404, 409) },
    }),
    async (c) => c.json(await Job.approve(c.req.valid("param"))),
  );
