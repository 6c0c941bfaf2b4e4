import { VendorCatalog } from "@fg/core/vendor/catalog";
import { createRoute } from "@hono/zod-openapi";
import { json, list, problems, router, scope, security } from "./openapi.ts";

export const vendors = router().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["vendors"],
    security,
    summary: "Vendors fg has skills for: plans, goals, merchant descriptor, key format",
    middleware: [scope("jobs:read")],
    responses: { 200: json(list(VendorCatalog.Entry.meta({ id: "Vendor" }))), ...problems(403) },
  }),
  async (c) => c.json({ data: VendorCatalog.list(), nextCursor: null }),
);
