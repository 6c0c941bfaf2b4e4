import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { configureAdaptersFromEnv, log, serializeError, WebhookEndpoint } from "@fg/core";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";

const processor = new BatchProcessor(EventType.SQS);

/**
 * The webhooks queue consumer: one delivery attempt per message. A retry is a new delayed message that
 * `WebhookEndpoint.attempt` queues itself; a record fails only when the attempt could not be recorded or
 * the next one not queued, and SQS then delivers it again.
 */
export const handler = async (event: SQSEvent, context: Context) => {
  await configureAdaptersFromEnv();
  const attempt = async (record: SQSRecord) => {
    try {
      const outcome = await WebhookEndpoint.attempt(JSON.parse(record.body));
      log.info("webhook attempt", { messageId: record.messageId, outcome });
    } catch (error) {
      log.warn("webhook attempt failed", {
        messageId: record.messageId,
        error: serializeError(error, { stack: false }),
      });
      throw error;
    }
  };
  return processPartialResponse(event, attempt, processor, { context, throwOnFullBatchFailure: false });
};
