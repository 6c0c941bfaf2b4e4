import { Actor, createLocalJobQueue, Job, JobQueue } from "@fg/core";
import { beforeAll, describe, expect, it } from "vitest";
import { call, freeJob, signup } from "./helpers.ts";

const queue = createLocalJobQueue();
JobQueue.configure(queue);

let key: string;
let accountId: string;

beforeAll(async () => {
  ({ key, accountId } = await signup());
});

const json = { "content-type": "application/json" };
const withMoney = (maxSpend: unknown) => ({ ...freeJob, maxSpend });

const cases: {
  name: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  path?: string;
}[] = [
  { name: "vendor of the wrong type", body: { ...freeJob, vendor: 42 }, status: 400, path: "vendor" },
  {
    name: "unknown vendor slug",
    body: { ...freeJob, vendor: "no-such-vendor" },
    status: 400,
    path: "vendor",
  },
  {
    name: "plain http vendor URL",
    body: { ...freeJob, vendor: "http://vendor.example.com" },
    status: 400,
    path: "vendor",
  },
  { name: "unknown goal", body: { ...freeJob, goal: "everything" }, status: 400, path: "goal" },
  {
    name: "negative amount",
    body: withMoney({ amount: -1, currency: "usd" }),
    status: 400,
    path: "maxSpend.amount",
  },
  {
    name: "fractional amount",
    body: withMoney({ amount: 10.5, currency: "usd" }),
    status: 400,
    path: "maxSpend.amount",
  },
  {
    name: "absurd amount",
    body: withMoney({ amount: 10_000_000_000, currency: "usd" }),
    status: 400,
    path: "maxSpend.amount",
  },
  {
    name: "amount as a string",
    body: withMoney({ amount: "20", currency: "usd" }),
    status: 400,
    path: "maxSpend.amount",
  },
  {
    name: "unknown currency",
    body: withMoney({ amount: 100, currency: "doge" }),
    status: 400,
    path: "maxSpend.currency",
  },
  { name: "missing maxSpend", body: { vendor: "nimbus-db", goal: "api_key" }, status: 400, path: "maxSpend" },
  { name: "extra top-level field", body: { ...freeJob, admin: true }, status: 400, path: "admin" },
  {
    name: "extra nested field",
    body: withMoney({ amount: 0, currency: "usd", tip: 1 }),
    status: 400,
    path: "maxSpend.tip",
  },
  { name: "array body", body: [freeJob], status: 400 },
  { name: "null body", raw: "null", headers: json, status: 400 },
  { name: "malformed JSON", raw: '{"vendor": "nimbus-db",', headers: json, status: 400 },
  { name: "empty body", raw: "", headers: json, status: 400 },
  {
    name: "wrong content type",
    raw: "vendor=nimbus-db",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
  },
  {
    name: "text content type with JSON",
    raw: JSON.stringify(freeJob),
    headers: { "content-type": "text/plain" },
    status: 415,
  },
  { name: "oversized body", body: { ...freeJob, plan: "x".repeat(70 * 1024) }, status: 413 },
  { name: "bad idempotency key", body: freeJob, headers: { "idempotency-key": "has spaces" }, status: 400 },
];

describe("POST /v1/jobs with bad input", () => {
  it.each(cases)("answers $status problem+json for $name and writes nothing", async (c) => {
    const res = await call("POST", "/v1/jobs", { key, body: c.body, raw: c.raw, headers: c.headers });
    expect(res.status).toBe(c.status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.json).toMatchObject({ status: c.status, instance: expect.stringMatching(/^req_/) });
    expect(res.json.detail.length).toBeGreaterThan(0);
    if (c.path) expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(c.path);
    const written = await Actor.system("test", accountId, () => Job.list({}));
    expect(written.data).toEqual([]);
    expect(await queue.receive({ max: 10 })).toEqual([]);
  });

  it("lists every bad field at once", async () => {
    const res = await call("POST", "/v1/jobs", {
      key,
      body: { vendor: 1, goal: "x", maxSpend: { amount: -5, currency: "doge" } },
    });
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ["goal", "maxSpend.amount", "maxSpend.currency", "vendor"].sort(),
    );
  });

  it("rejects bad query parameters and path ids with 400", async () => {
    expect((await call("GET", "/v1/jobs?limit=0", { key })).status).toBe(400);
    expect((await call("GET", "/v1/jobs?status=sleeping", { key })).status).toBe(400);
    expect((await call("GET", "/v1/jobs?surprise=1", { key })).status).toBe(400);
    const badId = await call("GET", "/v1/jobs/not-a-job-id", { key });
    expect(badId.status).toBe(400);
    expect(badId.json.errors[0].path).toBe("path.id");
  });
});
