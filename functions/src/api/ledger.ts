import { Ledger } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { json, list, problems, router, scope, security } from "./openapi.ts";

const tags = ["ledger"];

export const ledger = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "Every money movement of the account, oldest first, hash-chained",
      middleware: [scope("jobs:read")],
      request: { query: z.object({ jobId: Ledger.AppendInput.shape.jobId.optional() }).strict() },
      responses: { 200: json(list(Ledger.Info.meta({ id: "LedgerEntry" }))), ...problems(400, 403) },
    }),
    async (c) => {
      const { jobId } = c.req.valid("query");
      const data = jobId ? await Ledger.forJob(jobId) : await Ledger.entries();
      return c.json({ data, nextCursor: null });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/verify",
      tags,
      security,
      summary: "Recompute the hash chain",
      middleware: [scope("jobs:read")],
      responses: {
        200: json(
          z
            .object({ valid: z.boolean(), entries: z.number().int(), brokenAt: z.number().int().nullable() })
            .meta({ id: "LedgerVerification" }),
        ),
        ...problems(403),
      },
    }),
    async (c) => c.json(await Ledger.verify()),
  );
