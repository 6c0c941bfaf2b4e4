import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeliveryMessage, type DeliveryQueue, MAX_QUEUE_DELAY_MS } from "./delivery-queue.ts";

/** The webhooks queue; its consumer (functions/src/queue/webhooks.ts) makes one attempt per message. */
export function createSqsDeliveryQueue(options: { queueUrl: string; client?: SQSClient }): DeliveryQueue {
  const client = options.client ?? new SQSClient({});
  return {
    async send(message, { delayMs }) {
      const delaySeconds = Math.ceil(Math.min(Math.max(delayMs, 0), MAX_QUEUE_DELAY_MS) / 1000);
      await client.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: JSON.stringify(DeliveryMessage.parse(message)),
          ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
        }),
      );
    },
  };
}
