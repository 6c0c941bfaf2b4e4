import { configureAdaptersFromEnv, log, serializeError, WebhookEndpoint } from "@fg/core";
import type { Context } from "aws-lambda";

/**
 * A Lambda entry for one workflow step: configure the adapters once, log with the job id, run the core step,
 * return plain JSON. Errors are rethrown under their own name (Step Functions routes on it: "Job.Canceled",
 * "Policy.Denied", …) with message and stack redacted, because the Lambda runtime logs what it receives.
 */
export function workflowHandler<I, R>(op: (input: I) => Promise<R>) {
  return async (event: I, context?: Context): Promise<R> => {
    await configureAdaptersFromEnv();
    const jobId = jobIdOf(event);
    // One invocation per Lambda instance at a time, so the shared logger may carry the job id; a local
    // caller (no context) may run steps concurrently and gets a logger of its own.
    const logger = context ? log : log.createChild({ persistentKeys: { jobId } });
    if (context) {
      log.addContext(context);
      log.appendKeys({ jobId });
    }
    try {
      const result = await op(event);
      logger.info("workflow step finished");
      return JSON.parse(JSON.stringify(result ?? null)) as R;
    } catch (error) {
      logger.warn("workflow step failed", { error: serializeError(error, { stack: false }) });
      throw redacted(error);
    } finally {
      await WebhookEndpoint.idle();
      if (context) log.removeKeys(["jobId"]);
    }
  };
}

function jobIdOf(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null || !("jobId" in event)) return undefined;
  return typeof event.jobId === "string" ? event.jobId : undefined;
}

function redacted(error: unknown): Error {
  const serialized = serializeError(error);
  const copy = new Error(serialized.message);
  copy.name = serialized.name;
  copy.stack = serialized.stack ?? `${serialized.name}: ${serialized.message}`;
  return copy;
}
