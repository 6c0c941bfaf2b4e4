import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Account, Actor, configureAdaptersFromEnv, Job, WebhookEndpoint } from "@fg/core";
import { mockClient } from "aws-sdk-client-mock";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../src/queue/webhooks.ts";
import { lambdaContext, sqsEvent } from "./sqs-event.ts";

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/fg-test-webhooks";
const sqs = mockClient(SQSClient);

let server: Server;
let receiverUrl: string;
let received: { headers: IncomingHttpHeaders; body: string }[] = [];
/** Status codes the receiver answers with, in order; 200 once they run out. */
let script: number[] = [];

beforeAll(async () => {
  process.env.AWS_REGION = "us-east-1";
  process.env.FG_WEBHOOKS_QUEUE_URL = queueUrl;
  process.env.FG_ALLOW_LOOPBACK_WEBHOOKS = "1";
  await configureAdaptersFromEnv();
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
  WebhookEndpoint.configure({ queue: null });
  await new Promise((resolve) => server.close(resolve));
  sqs.restore();
  delete process.env.FG_WEBHOOKS_QUEUE_URL;
  delete process.env.FG_ALLOW_LOOPBACK_WEBHOOKS;
});

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
  received = [];
  script = [];
  WebhookEndpoint.configure({ retryDelaysMs: [60_000, 30 * 60_000] });
});

interface Sent {
  body: { accountId: string; endpointId: string; deliveryId: string; attempt: number; dueAt?: string };
  delaySeconds: number | undefined;
}

function sent(): Sent[] {
  return sqs.commandCalls(SendMessageCommand).map(({ args: [{ input }] }) => {
    expect(input.QueueUrl).toBe(queueUrl);
    return { body: JSON.parse(input.MessageBody ?? ""), delaySeconds: input.DelaySeconds };
  });
}

/** An account with an endpoint for job.succeeded, and one job that just succeeded. */
async function succeededJob() {
  const { account } = await Account.signup({ email: `wh-${randomBytes(6).toString("hex")}@example.com` });
  const accountId = account.id;
  const admin = <R>(cb: () => R) =>
    Actor.provide({ type: "account", properties: { accountId, scopes: ["admin"] } }, cb);
  const endpoint = await admin(() =>
    WebhookEndpoint.create({ url: receiverUrl, eventTypes: ["job.succeeded"] }),
  );
  const job = await admin(() =>
    Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
  );
  await Actor.system("test", accountId, async () => {
    for (const to of ["planning", "provisioning", "settling", "succeeded"] as const) {
      await Job.transition({ id: job.id, to });
    }
  });
  await WebhookEndpoint.idle();
  const deliveries = () =>
    admin(() => WebhookEndpoint.deliveries({ id: endpoint.id, limit: 10 })).then((page) => page.data);
  return { accountId, endpoint, jobId: job.id, deliveries };
}

describe("webhooks queue consumer", () => {
  it("queues a delivery instead of posting it in process, and delivers it signed on consumption", async () => {
    const { endpoint, jobId, deliveries } = await succeededJob();
    expect(received).toEqual([]);
    const [first] = sent();
    expect(first).toMatchObject({ body: { endpointId: endpoint.id, attempt: 1 }, delaySeconds: undefined });

    const { event } = sqsEvent([first!.body]);
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });

    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers["webhook-id"]).toBe(first!.body.deliveryId);
    expect(() => new Webhook(endpoint.secret).verify(body, headers as Record<string, string>)).not.toThrow();
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      type: "job.succeeded",
      data: { job: { id: jobId } },
    });
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "succeeded", attempts: [{ attempt: 1, statusCode: 200 }] });
  });

  it("retries a failing receiver through a delayed message, one attempt per message", async () => {
    const { deliveries } = await succeededJob();
    script = [500];
    const [first] = sent();
    sqs.resetHistory();

    await handler(sqsEvent([first!.body]).event, lambdaContext);
    const [retry] = sent();
    expect(retry).toMatchObject({ body: { ...first!.body, attempt: 2 }, delaySeconds: 60 });
    expect((await deliveries())[0]).toMatchObject({ status: "pending", attempts: [{ statusCode: 500 }] });

    await handler(
      sqsEvent([{ ...retry!.body, dueAt: new Date(Date.now() - 1).toISOString() }]).event,
      lambdaContext,
    );
    expect(received).toHaveLength(2);
    expect((await deliveries())[0]).toMatchObject({
      status: "succeeded",
      attempts: [
        { attempt: 1, statusCode: 500 },
        { attempt: 2, statusCode: 200 },
      ],
    });
  });

  it("covers waits longer than SQS's 15-minute delay by sending the message on until it is due", async () => {
    await succeededJob();
    script = [500, 500];
    const [first] = sent();
    await handler(sqsEvent([first!.body]).event, lambdaContext);
    const second = { ...sent()[1]!.body, dueAt: new Date(Date.now() - 1).toISOString() };
    sqs.resetHistory();

    await handler(sqsEvent([second]).event, lambdaContext);
    const [third] = sent();
    expect(third).toMatchObject({ body: { attempt: 3 }, delaySeconds: 900 });
    sqs.resetHistory();

    await handler(sqsEvent([third!.body]).event, lambdaContext);
    expect(received).toHaveLength(2);
    const [onward] = sent();
    expect(onward!.body).toEqual(third!.body);
    expect(onward!.delaySeconds).toBeLessThanOrEqual(900);
    expect(onward!.delaySeconds).toBeGreaterThan(800);
  });

  it("does not post twice when a message is delivered again", async () => {
    const { deliveries } = await succeededJob();
    const [first] = sent();
    await handler(sqsEvent([first!.body]).event, lambdaContext);
    await handler(sqsEvent([first!.body]).event, lambdaContext);
    expect(received).toHaveLength(1);
    expect((await deliveries())[0]!.attempts).toHaveLength(1);
  });

  it("queues the next attempt without posting when the previous consumer recorded it but failed to queue", async () => {
    await succeededJob();
    script = [500];
    const [first] = sent();
    sqs.on(SendMessageCommand).rejectsOnce(new Error("SQS is unavailable")).resolves({ MessageId: "m-2" });
    sqs.resetHistory();

    const { event, ids } = sqsEvent([first!.body]);
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [{ itemIdentifier: ids[0] }] });
    await handler(sqsEvent([first!.body]).event, lambdaContext);

    expect(received).toHaveLength(1);
    expect(sent().map((s) => s.body.attempt)).toEqual([2, 2]);
  });

  it("reports only the record it cannot read", async () => {
    await succeededJob();
    const [first] = sent();
    const { event, ids } = sqsEvent([{ hello: "world" }, first!.body]);
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [{ itemIdentifier: ids[0] }] });
    expect(received).toHaveLength(1);
  });
});
