import { Actor, Credential, VisibleError } from "@fg/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { ApiEnv } from "../src/api/env.ts";
import { requestId } from "../src/api/middleware/request-id.ts";
import { onError } from "../src/api/problem.ts";
import { call, freeJob, signup } from "./helpers.ts";

function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(res.json.instance).toBe(res.headers.get("x-request-id"));
}

describe("authentication", () => {
  it.each([
    ["missing", {}],
    ["malformed", { authorization: "Token abc" }],
    ["unknown", { authorization: "Bearer fg_sk_thisKeyDoesNotExist00000000000000000000000" }],
    ["not an fg key", { authorization: "Bearer sk_live_123" }],
  ])("answers 401 for a %s key", async (_name, headers) => {
    const res = await call("GET", "/v1/jobs", { headers });
    expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("lets Stripe reach its webhook without an API key (its signature authenticates)", async () => {
    const res = await call("POST", "/v1/webhooks/stripe", { body: { id: "evt_1" } });
    expect(res.status).not.toBe(401);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers 401 for a revoked key", async () => {
    const { key } = await signup();
    const extra = await call("POST", "/v1/api-keys", { key, body: { scopes: ["jobs:read"] } });
    await call("DELETE", `/v1/api-keys/${extra.json.id}`, { key });
    expectProblem(await call("GET", "/v1/jobs", { key: extra.json.secret }), 401);
  });

  it("answers 403 when the key lacks the scope", async () => {
    const { key } = await signup();
    const reader = (await call("POST", "/v1/api-keys", { key, body: { scopes: ["jobs:read"] } })).json.secret;
    expect((await call("GET", "/v1/jobs", { key: reader })).status).toBe(200);
    const write = await call("POST", "/v1/jobs", { key: reader, body: freeJob });
    expectProblem(write, 403);
    expect(write.json.code).toBe("auth.scope");
    expectProblem(await call("GET", "/v1/api-keys", { key: reader }), 403);
    expectProblem(await call("PUT", "/v1/policy", { key: reader, body: { perJobCap: 1 } }), 403);
    expectProblem(await call("GET", "/v1/audit", { key: reader }), 403);
  });

  it("reveals a credential only with the credentials:read scope", async () => {
    const { key, accountId } = await signup();
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    const cred = await Actor.system("test", accountId, () =>
      Credential.store({
        jobId: job.id,
        vendor: "nimbus-db",
        kind: "api_key",
        label: "k",
        value: "nmb_secretvalue",
      }),
    );
    const jobsOnly = (
      await call("POST", "/v1/api-keys", { key, body: { scopes: ["jobs:read", "jobs:write"] } })
    ).json.secret;
    const denied = await call("POST", `/v1/credentials/${cred.id}/reveal`, { key: jobsOnly });
    expectProblem(denied, 403);
    expect(denied.text).not.toContain("nmb_secretvalue");
  });
});

describe("tenant isolation", () => {
  it("answers 404 for another account's job, credential, webhook endpoint and API key", async () => {
    const owner = await signup();
    const other = await signup();
    const { json: job } = await call("POST", "/v1/jobs", { key: owner.key, body: freeJob });
    const cred = await Actor.system("test", owner.accountId, () =>
      Credential.store({ jobId: job.id, vendor: "nimbus-db", kind: "api_key", label: "k", value: "nmb_x" }),
    );
    const endpoint = await call("POST", "/v1/webhook-endpoints", {
      key: owner.key,
      body: { url: "https://hooks.example.com/fg", eventTypes: ["job.succeeded"] },
    });
    const keys = await call("GET", "/v1/api-keys", { key: owner.key });
    const ownerKeyId = keys.json.data[0].id;
    const attempts: [string, string][] = [
      ["GET", `/v1/jobs/${job.id}`],
      ["GET", `/v1/jobs/${job.id}/events`],
      ["POST", `/v1/jobs/${job.id}/cancel`],
      ["POST", `/v1/jobs/${job.id}/approve`],
      ["GET", `/v1/credentials/${cred.id}`],
      ["POST", `/v1/credentials/${cred.id}/reveal`],
      ["DELETE", `/v1/credentials/${cred.id}`],
      ["GET", `/v1/webhook-endpoints/${endpoint.json.id}`],
      ["DELETE", `/v1/webhook-endpoints/${endpoint.json.id}`],
      ["DELETE", `/v1/api-keys/${ownerKeyId}`],
    ];
    for (const [method, path] of attempts) {
      const res = await call(method, path, { key: other.key });
      expectProblem(res, 404);
    }
    expect((await call("GET", "/v1/jobs", { key: other.key })).json.data).toEqual([]);
    expect((await call("GET", `/v1/jobs/${job.id}`, { key: owner.key })).json.status).toBe("queued");
    expect((await call("GET", `/v1/credentials/${cred.id}`, { key: owner.key })).status).toBe(200);
  });
});

describe("routing and limits", () => {
  it("answers 404 for an unknown route and 405 with Allow for a known route's wrong method", async () => {
    const { key } = await signup();
    expectProblem(await call("GET", "/v1/nothing-here", { key }), 404);
    const res = await call("PATCH", "/v1/jobs", { key, body: {} });
    expectProblem(res, 405);
    expect(res.headers.get("allow")).toContain("POST");
  });

  it("answers 429 with Retry-After and RateLimit headers once a key spends its budget", async () => {
    const { key } = await signup();
    process.env.FG_RATE_LIMIT_PER_MINUTE = "3";
    try {
      const ok = await call("GET", "/v1/jobs", { key });
      expect(ok.headers.get("ratelimit-limit")).toBe("3");
      expect(ok.headers.get("ratelimit-remaining")).toBe("2");
      await call("GET", "/v1/jobs", { key });
      await call("GET", "/v1/jobs", { key });
      const limited = await call("GET", "/v1/jobs", { key });
      expectProblem(limited, 429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.headers.get("ratelimit-remaining")).toBe("0");
      const otherKey = await signup();
      expect((await call("GET", "/v1/jobs", { key: otherKey.key })).status).toBe(200);
    } finally {
      delete process.env.FG_RATE_LIMIT_PER_MINUTE;
    }
  });
});

describe("unexpected errors", () => {
  it("answers a generic 500 with the request id and never echoes the input or the error", async () => {
    const app = new Hono<ApiEnv>();
    app.use(requestId);
    app.post("/boom", async (c) => {
      const body = await c.req.text();
      throw new Error(`exploded while handling ${body}`);
    });
    app.post("/visible", () => {
      throw new VisibleError("conflict", "thing.busy", "The thing is busy");
    });
    app.onError(onError);
    const res = await app.request("/boom", { method: "POST", body: "fg_sk_supersecretinput" });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(text).not.toContain("fg_sk_supersecretinput");
    expect(text).not.toContain("exploded");
    expect(JSON.parse(text).instance).toBe(res.headers.get("x-request-id"));
    const visible = await app.request("/visible", { method: "POST" });
    expect(visible.status).toBe(409);
    expect(await visible.json()).toMatchObject({ code: "thing.busy", detail: "The thing is busy" });
  });
});
