import { Actor, Job } from "@fg/core";
import { expect, it } from "vitest";
import { call, freeJob, signup } from "./helpers.ts";

it("creates exactly one job for 20 concurrent requests with the same Idempotency-Key", async () => {
  const { key, accountId } = await signup();
  const headers = { "idempotency-key": "provision-nimbus-1" };
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => call("POST", "/v1/jobs", { key, body: freeJob, headers })),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
  expect(new Set(responses.map((r) => r.json.id)).size).toBe(1);
  expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
  const jobs = await Actor.system("test", accountId, () => Job.list({}));
  expect(jobs.data).toHaveLength(1);
});

it("replays the first response for the same key and body, and answers 422 for a different body", async () => {
  const { key } = await signup();
  const headers = { "idempotency-key": "k-1" };
  const first = await call("POST", "/v1/jobs", { key, body: freeJob, headers });
  const reordered = { maxSpend: { currency: "usd", amount: 0 }, goal: "api_key", vendor: "nimbus-db" };
  const again = await call("POST", "/v1/jobs", { key, body: reordered, headers });
  expect(again.json).toEqual(first.json);
  const different = await call("POST", "/v1/jobs", { key, body: { ...freeJob, goal: "account" }, headers });
  expect(different.status).toBe(422);
  expect(different.json.code).toBe("idempotency.key_reused");
});

it("lets a failed request be retried with the same key", async () => {
  const { key } = await signup();
  const headers = { "idempotency-key": "retry-me" };
  const bad = await call("POST", "/v1/jobs", {
    key,
    body: { ...freeJob, vendor: "no-such-vendor" },
    headers,
  });
  expect(bad.status).toBe(400);
  const retry = await call("POST", "/v1/jobs", {
    key,
    body: { ...freeJob, vendor: "no-such-vendor" },
    headers,
  });
  expect(retry.status).toBe(400);
  const fixed = await call("POST", "/v1/jobs", {
    key,
    body: freeJob,
    headers: { "idempotency-key": "retry-me-2" },
  });
  expect(fixed.status).toBe(202);
});

it("keeps keys per account", async () => {
  const a = await signup();
  const b = await signup();
  const headers = { "idempotency-key": "shared-key" };
  const first = await call("POST", "/v1/jobs", { key: a.key, body: freeJob, headers });
  const second = await call("POST", "/v1/jobs", { key: b.key, body: freeJob, headers });
  expect(second.status).toBe(202);
  expect(second.json.id).not.toBe(first.json.id);
});
