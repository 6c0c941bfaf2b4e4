import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { expect, it } from "vitest";
import { createSqsJobQueue } from "../../src/queue/sqs.ts";
import { jobQueueContract } from "./contract.ts";
import { fakeSqs } from "./fake-sqs.ts";

jobQueueContract("SQS", async () => {
  const sqs = fakeSqs({ visibilityTimeoutS: 30, maxReceiveCount: 3 });
  const queue = createSqsJobQueue({
    client: sqs.client,
    queueUrl: sqs.queueUrl,
    deadLetterQueueUrl: sqs.deadLetterQueueUrl,
  });
  return { queue, advance: sqs.advance };
});

const job = { accountId: "acct_01JD2V6ZQ4T3N8K5W7Y9B1C3EF", jobId: "job_01JD2V6ZQ4T3N8K5W7Y9B1C3EF" };

it("sends the job as JSON to the configured queue and asks for the receive count", async () => {
  const sqs = fakeSqs({ visibilityTimeoutS: 30, maxReceiveCount: 3 });
  const queue = createSqsJobQueue({ client: sqs.client, queueUrl: sqs.queueUrl });
  await queue.send(job, { delayMs: 1500 });
  await queue.receive({ waitMs: 60_000 });
  const sent = sqs.mock.commandCalls(SendMessageCommand)[0]?.args[0].input;
  expect(sent).toMatchObject({ QueueUrl: sqs.queueUrl, DelaySeconds: 2 });
  expect(JSON.parse(sent?.MessageBody ?? "")).toEqual(job);
  const received = sqs.mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input;
  expect(received).toMatchObject({
    WaitTimeSeconds: 20,
    MessageSystemAttributeNames: ["ApproximateReceiveCount"],
  });
});

it("refuses to send a body that is not a job message", async () => {
  const sqs = fakeSqs({ visibilityTimeoutS: 30, maxReceiveCount: 3 });
  const queue = createSqsJobQueue({ client: sqs.client, queueUrl: sqs.queueUrl });
  await expect(queue.send({ accountId: "nope", jobId: job.jobId })).rejects.toThrow();
  expect(sqs.mock.commandCalls(SendMessageCommand)).toHaveLength(0);
});
