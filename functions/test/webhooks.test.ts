import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Actor, Job, WebhookEndpoint } from "@fg/core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, freeJob, signup } from "./helpers.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers with, in order; 200 once they run out. */
let script: number[] = [];

beforeAll(async () => {
  process.env.FG_ALLOW_LOOPBACK_WEBHOOKS = "1";
  WebhookEndpoint.configure({ retryDelaysMs: [20, 20, 20] });
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  await WebhookEndpoint.idle();
  await new Promise((resolve) => server.close(resolve));
  delete process.env.FG_ALLOW_LOOPBACK_WEBHOOKS;
});

async function finishJob(accountId: string, jobId: string) {
  await Actor.system("test", accountId, async () => {
    await Job.transition({ id: jobId, to: "planning" });
    await Job.transition({ id: jobId, to: "provisioning" });
    await Job.transition({ id: jobId, to: "settling" });
    await Job.transition({ id: jobId, to: "succeeded" });
  });
  await WebhookEndpoint.idle();
}

describe("outbound webhooks", () => {
  it("manages endpoints and shows the signing secret only at creation", async () => {
    const { key } = await signup();
    const created = await call("POST", "/v1/webhook-endpoints", {
      key,
      body: {
        url: "https://hooks.example.com/fg",
        eventTypes: ["job.succeeded", "job.failed"],
        description: "prod",
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const listed = await call("GET", "/v1/webhook-endpoints", { key });
    expect(listed.json.data).toEqual([expect.objectContaining({ id: created.json.id, description: "prod" })]);
    expect(listed.text).not.toContain(created.json.secret);
    const got = await call("GET", `/v1/webhook-endpoints/${created.json.id}`, { key });
    expect(got.json.secret).toBeUndefined();
    expect((await call("DELETE", `/v1/webhook-endpoints/${created.json.id}`, { key })).status).toBe(200);
    expect((await call("GET", `/v1/webhook-endpoints/${created.json.id}`, { key })).status).toBe(404);
  });

  it("delivers job.succeeded signed per Standard Webhooks", async () => {
    received.length = 0;
    script = [];
    const { key, accountId } = await signup();
    const endpoint = await call("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: receiverUrl, eventTypes: ["job.succeeded"] },
    });
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    await finishJob(accountId, job.id);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const payload = new Webhook(endpoint.json.secret).verify(
      delivery?.body ?? "",
      delivery?.headers as Record<string, string>,
    ) as { type: string; data: { job: { id: string; status: string } } };
    expect(payload.type).toBe("job.succeeded");
    expect(payload.data.job).toMatchObject({ id: job.id, status: "succeeded" });
    expect(() =>
      new Webhook(`whsec_${Buffer.from("another secret").toString("base64")}`).verify(
        delivery?.body ?? "",
        delivery?.headers as Record<string, string>,
      ),
    ).toThrow();
  });

  it("retries a failing receiver with backoff and logs every attempt", async () => {
    received.length = 0;
    script = [500, 503];
    const { key, accountId } = await signup();
    const endpoint = await call("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: receiverUrl, eventTypes: ["job.succeeded"] },
    });
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    await finishJob(accountId, job.id);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const log = await call("GET", `/v1/webhook-endpoints/${endpoint.json.id}/deliveries`, { key });
    expect(log.json.data).toHaveLength(1);
    expect(log.json.data[0]).toMatchObject({
      status: "succeeded",
      eventType: "job.succeeded",
      jobId: job.id,
    });
    expect(
      log.json.data[0].attempts.map((a: { attempt: number; statusCode: number }) => [
        a.attempt,
        a.statusCode,
      ]),
    ).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
  });

  it("gives up after the last retry and marks the delivery failed", async () => {
    received.length = 0;
    script = [500, 500, 500, 500, 500];
    const { key, accountId } = await signup();
    const endpoint = await call("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: receiverUrl, eventTypes: ["job.succeeded"] },
    });
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    await finishJob(accountId, job.id);
    const log = await call("GET", `/v1/webhook-endpoints/${endpoint.json.id}/deliveries`, { key });
    expect(log.json.data[0].status).toBe("failed");
    expect(log.json.data[0].attempts).toHaveLength(4);
    expect(log.json.data[0].nextAttemptAt).toBeNull();
  });

  it("sends nothing for events the endpoint did not subscribe to", async () => {
    received.length = 0;
    script = [];
    const { key, accountId } = await signup();
    await call("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: receiverUrl, eventTypes: ["job.failed"] },
    });
    const { json: job } = await call("POST", "/v1/jobs", { key, body: freeJob });
    await finishJob(accountId, job.id);
    expect(received).toHaveLength(0);
  });

  it("refuses endpoint URLs that are not https or point at private addresses", async () => {
    const { key } = await signup();
    delete process.env.FG_ALLOW_LOOPBACK_WEBHOOKS;
    try {
      for (const url of [
        "http://hooks.example.com/fg",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.8/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        receiverUrl,
        "https://user:pass@hooks.example.com/",
      ]) {
        const res = await call("POST", "/v1/webhook-endpoints", {
          key,
          body: { url, eventTypes: ["job.failed"] },
        });
        expect(res.status, url).toBe(400);
        expect(res.json.errors[0].path).toBe("url");
      }
    } finally {
      process.env.FG_ALLOW_LOOPBACK_WEBHOOKS = "1";
    }
  });
});
