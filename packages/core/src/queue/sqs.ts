import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { JobQueue } from "./index.ts";

export interface SqsJobQueueOptions {
  queueUrl: string;
  /** Where the queue's redrive policy sends exhausted messages; needed only for `deadLetters`. */
  deadLetterQueueUrl?: string;
  client?: SQSClient;
}

const MAX_DELAY_S = 900;
const MAX_WAIT_S = 20;

const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * SQS already has the semantics of the port: visibility timeout on the queue, maxReceiveCount and the
 * dead-letter queue in its redrive policy (stacks/ sets both), so this adapter only translates.
 */
export function createSqsJobQueue(options: SqsJobQueueOptions): JobQueue.Port {
  const client = options.client ?? new SQSClient({});

  async function receiveFrom(
    queueUrl: string,
    receive: JobQueue.ReceiveOptions,
  ): Promise<JobQueue.Received[]> {
    const result = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(Math.max(receive.max ?? 1, 1), 10),
        WaitTimeSeconds: Math.min(seconds(receive.waitMs ?? 0), MAX_WAIT_S),
        ...(receive.visibilityTimeoutMs === undefined
          ? {}
          : { VisibilityTimeout: seconds(receive.visibilityTimeoutMs) }),
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return (result.Messages ?? []).flatMap((m) => toReceived(m));
  }

  return {
    async send(message, send) {
      const body = JobQueue.parse(message);
      const result = await client.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: JSON.stringify(body),
          ...(send?.delayMs ? { DelaySeconds: Math.min(seconds(send.delayMs), MAX_DELAY_S) } : {}),
        }),
      );
      if (!result.MessageId) throw new Error("SQS accepted the message without a MessageId");
      return { messageId: result.MessageId };
    },
    receive: (receive = {}) => receiveFrom(options.queueUrl, receive),
    async ack(receipt) {
      await client.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: receipt }));
    },
    async release(receipt, release) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: receipt,
          VisibilityTimeout: seconds(release?.delayMs ?? 0),
        }),
      );
    },
    async deadLetters(dead) {
      if (!options.deadLetterQueueUrl) return [];
      return receiveFrom(options.deadLetterQueueUrl, { max: dead?.max ?? 10, visibilityTimeoutMs: 0 });
    },
  };
}

/** A body that is not a job message is skipped here; its receives run out and SQS dead-letters it. */
function toReceived(message: Message): JobQueue.Received[] {
  if (!message.MessageId || !message.ReceiptHandle || !message.Body) return [];
  let body: JobQueue.Message;
  try {
    body = JobQueue.parse(JSON.parse(message.Body));
  } catch {
    return [];
  }
  return [
    {
      messageId: message.MessageId,
      receipt: message.ReceiptHandle,
      body,
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? "1"),
    },
  ];
}
