import { randomUUID } from "node:crypto";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";

interface Stored {
  id: string;
  body: string;
  receives: number;
  visibleAt: number;
  receipt?: string;
}

/**
 * SQS as the service behaves (visibility timeout per queue, redrive to a DLQ after maxReceiveCount),
 * behind aws-sdk-client-mock, so the adapter's real commands run against it.
 */
export function fakeSqs(options: { visibilityTimeoutS: number; maxReceiveCount: number }) {
  let now = 1_000_000;
  const queues = new Map<string, Stored[]>([
    ["https://sqs.test/jobs", []],
    ["https://sqs.test/jobs-dlq", []],
  ]);
  const redrive: Record<string, string> = { "https://sqs.test/jobs": "https://sqs.test/jobs-dlq" };
  const client = new SQSClient({ region: "us-east-1" });
  const mock = mockClient(client);
  const queue = (url?: string) => {
    const q = queues.get(url ?? "");
    if (!q)
      throw Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" });
    return q;
  };

  mock.on(SendMessageCommand).callsFake((input) => {
    const id = randomUUID();
    queue(input.QueueUrl).push({
      id,
      body: input.MessageBody,
      receives: 0,
      visibleAt: now + (input.DelaySeconds ?? 0) * 1000,
    });
    return { MessageId: id };
  });
  mock.on(ReceiveMessageCommand).callsFake((input) => {
    const q = queue(input.QueueUrl);
    const out = [];
    for (const m of [...q]) {
      if (out.length >= (input.MaxNumberOfMessages ?? 1) || m.visibleAt > now) continue;
      const dlq = redrive[input.QueueUrl];
      if (dlq && m.receives >= options.maxReceiveCount) {
        q.splice(q.indexOf(m), 1);
        queue(dlq).push({ ...m, receives: 0, visibleAt: now, receipt: undefined });
        continue;
      }
      m.receives++;
      m.receipt = randomUUID();
      m.visibleAt = now + (input.VisibilityTimeout ?? options.visibilityTimeoutS) * 1000;
      out.push({
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receives) },
      });
    }
    return { Messages: out };
  });
  mock.on(DeleteMessageCommand).callsFake((input) => {
    const q = queue(input.QueueUrl);
    const i = q.findIndex((m) => m.receipt === input.ReceiptHandle);
    if (i >= 0) q.splice(i, 1);
    return {};
  });
  mock.on(ChangeMessageVisibilityCommand).callsFake((input) => {
    const m = queue(input.QueueUrl).find((x) => x.receipt === input.ReceiptHandle);
    if (m) m.visibleAt = now + (input.VisibilityTimeout ?? 0) * 1000;
    return {};
  });

  return {
    client,
    mock,
    queueUrl: "https://sqs.test/jobs",
    deadLetterQueueUrl: "https://sqs.test/jobs-dlq",
    advance: (ms: number) => {
      now += ms;
    },
  };
}
