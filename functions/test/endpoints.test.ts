import { Actor, Credential, Job } from "@fg/core";
import { describe, expect, it } from "vitest";
import { call, freeJob, signup } from "./helpers.ts";

async function asAccount<T>(accountId: string, cb: () => Promise<T>): Promise<T> {
  return Actor.system("test", accountId, cb);
}

describe("account and API keys", () => {
  it("signs up, then creates, lists and revokes API keys", async () => {
    const { key, email, accountId } = await signup();
    expect(accountId).toMatch(/^acct_/);
    expect(email).toContain("@");
    const created = await call("POST", "/v1/api-keys", { key, body: { name: "ci", scopes: ["jobs:read"] } });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^fg_sk_/);
    const listed = await call("GET", "/v1/api-keys", { key });
    expect(listed.status).toBe(200);
    expect(listed.json.nextCursor).toBeNull();
    expect(listed.json.data.map((k: { name: string }) => k.name).sort()).toEqual(["ci", "default"]);
    expect(listed.text).not.toContain(created.json.secret);
    const revoked = await call("DELETE", `/v1/api-keys/${created.json.id}`, { key });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).not.toBeNull();
    expect((await call("GET", "/v1/jobs", { key: created.json.secret })).status).toBe(401);
  });

  it("refuses sign-up when FG_SIGNUP is closed", async () => {
    process.env.FG_SIGNUP = "closed";
    try {
      const res = await call("POST", "/v1/signup", { body: { email: "closed@example.com" } });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe("signup.closed");
    } finally {
      delete process.env.FG_SIGNUP;
    }
  });
});

describe("jobs", () => {
  it("creates a job, reads it, lists it and serves its events as JSON", async () => {
    const { key } = await signup();
    const created = await call("POST", "/v1/jobs", { key, body: { ...freeJob, plan: "free" } });
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({
      status: "queued",
      vendor: "nimbus-db",
      plan: "free",
      spend: { captured: 0, spent: 0, refunded: 0, currency: "usd" },
      credentialIds: [],
      steps: [],
    });
    const got = await call("GET", `/v1/jobs/${created.json.id}`, { key });
    expect(got.json).toEqual(created.json);
    const listed = await call("GET", "/v1/jobs?status=queued&limit=5", { key });
    expect(listed.json.data.map((j: { id: string }) => j.id)).toEqual([created.json.id]);
    const events = await call("GET", `/v1/jobs/${created.json.id}/events?after=0`, { key });
    expect(events.json).toEqual({
      data: [expect.objectContaining({ seq: 1, type: "job.status", data: { status: "queued" } })],
      nextCursor: null,
    });
  });

  it("accepts a vendor given as an https URL", async () => {
    const { key } = await signup();
    const res = await call("POST", "/v1/jobs", {
      key,
      body: { ...freeJob, vendor: "https://vendor.example.com" },
    });
    expect(res.status).toBe(202);
  });

  it("cancels a running job and refuses to cancel it twice", async () => {
    const { key } = await signup();
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    const canceled = await call("POST", `/v1/jobs/${job.id}/cancel`, { key });
    expect(canceled.status).toBe(200);
    expect(canceled.json.status).toBe("canceled");
    const again = await call("POST", `/v1/jobs/${job.id}/cancel`, { key });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("job.finished");
  });

  it("approves a job waiting for approval and moves a paid one on to charging", async () => {
    const { key, accountId } = await signup();
    const { json: job } = await call("POST", "/v1/jobs", {
      key,
      body: {
        vendor: "relay-mail",
        goal: "subscription",
        plan: "starter",
        maxSpend: { amount: 9000, currency: "usd" },
      },
    });
    const early = await call("POST", `/v1/jobs/${job.id}/approve`, { key });
    expect(early.status).toBe(409);
    await asAccount(accountId, async () => {
      await Job.transition({ id: job.id, to: "planning" });
      await Job.transition({ id: job.id, to: "awaiting_approval" });
    });
    const approved = await call("POST", `/v1/jobs/${job.id}/approve`, { key });
    expect(approved.status).toBe(200);
    expect(approved.json.status).toBe("charging");
    const audit = await call("GET", "/v1/audit", { key });
    expect(audit.json.data.map((a: { action: string }) => a.action)).toContain("job.approve");
  });
});

describe("credentials", () => {
  it("lists and reads metadata, reveals the value (audited) and deletes", async () => {
    const { key, accountId } = await signup();
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    const value = "nmb_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456";
    const stored = await asAccount(accountId, () =>
      Credential.store({ jobId: job.id, vendor: "nimbus-db", kind: "api_key", label: "default key", value }),
    );
    const listed = await call("GET", `/v1/credentials?jobId=${job.id}`, { key });
    expect(listed.json.data).toEqual([stored]);
    expect(listed.text).not.toContain(value);
    const got = await call("GET", `/v1/credentials/${stored.id}`, { key });
    expect(got.json).toEqual(stored);
    expect(got.text).not.toContain(value);
    const revealed = await call("POST", `/v1/credentials/${stored.id}/reveal`, {
      key,
      body: { reason: "deploy" },
    });
    expect(revealed.json).toEqual({ id: stored.id, value });
    const bare = await call("POST", `/v1/credentials/${stored.id}/reveal`, { key });
    expect(bare.json.value).toBe(value);
    const audit = await call("GET", "/v1/audit", { key });
    expect(audit.json.data.filter((a: { action: string }) => a.action === "credential.reveal")).toHaveLength(
      2,
    );
    expect((await call("DELETE", `/v1/credentials/${stored.id}`, { key })).status).toBe(204);
    expect((await call("GET", `/v1/credentials/${stored.id}`, { key })).status).toBe(404);
  });
});

describe("account settings and records", () => {
  it("reads and changes the policy", async () => {
    const { key } = await signup();
    const before = await call("GET", "/v1/policy", { key });
    expect(before.json.perJobCap).toBeGreaterThan(0);
    const put = await call("PUT", "/v1/policy", { key, body: { approvalThreshold: 1000 } });
    expect(put.status).toBe(200);
    expect((await call("GET", "/v1/policy", { key })).json).toEqual({
      ...before.json,
      approvalThreshold: 1000,
    });
  });

  it("lists the vendors with their plans and goals", async () => {
    const { key } = await signup();
    const res = await call("GET", "/v1/vendors", { key });
    expect(res.json.data.map((v: { slug: string }) => v.slug)).toEqual(
      expect.arrayContaining(["nimbus-db", "relay-mail", "pixel-cdn", "wobbly-crm"]),
    );
  });

  it("serves an empty, valid ledger and the audit log", async () => {
    const { key } = await signup();
    expect((await call("GET", "/v1/ledger", { key })).json).toEqual({ data: [], nextCursor: null });
    expect((await call("GET", "/v1/ledger/verify", { key })).json).toEqual({
      valid: true,
      entries: 0,
      brokenAt: null,
    });
    const audit = await call("GET", "/v1/audit?limit=10", { key });
    expect(audit.status).toBe(200);
    expect(audit.json.nextCursor).toBeNull();
  });

  it("puts a sandbox test card on file and lists it", async () => {
    const { key } = await signup();
    const added = await call("POST", "/v1/payment-methods", { key, body: { paymentMethod: "pm_card_visa" } });
    expect(added.status).toBe(201);
    const listed = await call("GET", "/v1/payment-methods", { key });
    expect(listed.json.data).toEqual([expect.objectContaining({ last4: "4242" })]);
  });
});

describe("service endpoints", () => {
  it("answers /health, serves OpenAPI 3.1 and the docs page", async () => {
    expect((await call("GET", "/health")).json).toEqual({ status: "ok" });
    const doc = await call("GET", "/openapi.json");
    expect(doc.json.openapi).toBe("3.1.0");
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining(["/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/events", "/v1/webhook-endpoints"]),
    );
    expect(doc.json.components.schemas.Job).toBeDefined();
    const docs = await call("GET", "/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("/openapi.json");
  });
});
