import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { configureAdaptersFromEnv, isVisibleError, JobQueue, log, serializeError } from "@fg/core";
import { Workflow } from "@fg/core/workflow/index";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { z } from "zod";

const processor = new BatchProcessor(EventType.SQS);

const MaxRunning = z.coerce.number().int().positive().optional();

/**
 * The jobs queue consumer: one Step Functions execution per job. A record that fails (bad body, store or
 * Step Functions error, the browser pool is full) is reported back alone and SQS delivers it again.
 */
export const handler = async (event: SQSEvent, context: Context) => {
  await configureAdaptersFromEnv();
  const maxRunning = MaxRunning.parse(process.env.FG_MAX_CONCURRENT_JOBS || undefined);
  const startJob = async ({ messageId, body }: SQSRecord) => {
    try {
      const message = JobQueue.parse(JSON.parse(body));
      const result = await Workflow.start({ ...message, maxRunning });
      log.info("job execution", { messageId, jobId: message.jobId, ...result });
    } catch (error) {
      if (isVisibleError(error) && error.code === "workflow.at_capacity") {
        log.info("job held: the browser pool is full", { messageId, detail: error.message });
      } else {
        log.warn("job not started", { messageId, error: serializeError(error, { stack: false }) });
      }
      throw error;
    }
  };
  // One at a time, so each record's capacity check sees the executions the previous ones started.
  return processPartialResponse(event, startJob, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
};
