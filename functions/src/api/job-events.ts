import { Job, JobEvent, log, serializeError } from "@fg/core";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { ApiEnv } from "./env.ts";

const PAGE = 100;
const KEEPALIVE_MS = 15_000;

/** How often an open stream looks for new events; the local runtime and tests may shorten it. */
export function pollMs(): number {
  const value = Number(process.env.FG_SSE_POLL_MS ?? "");
  return Number.isInteger(value) && value > 0 ? value : 500;
}

/**
 * Streams events after `after` in seq order and ends once the job is finished and drained. A client
 * that reconnects with Last-Event-ID gets exactly the events it missed.
 */
export async function streamJobEvents(c: Context<ApiEnv>, jobId: string, after: number) {
  const first = await JobEvent.list({ jobId, after, limit: PAGE });
  return streamSSE(
    c,
    async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      let cursor = after;
      let batch = first;
      let finished = false;
      let quietSince = Date.now();
      for (;;) {
        for (const event of batch) {
          await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
          cursor = event.seq;
        }
        if (closed) return;
        if (batch.length > 0) quietSince = Date.now();
        if (batch.length < PAGE) {
          if (batch.length === 0 && finished) return;
          // The terminal status is written just before its event; one more empty poll after seeing it drains that event.
          finished = Job.isTerminal((await Job.get({ id: jobId })).status);
          if (Date.now() - quietSince > KEEPALIVE_MS) {
            await stream.write(": keepalive\n\n");
            quietSince = Date.now();
          }
          await stream.sleep(pollMs());
        }
        if (closed) return;
        batch = await JobEvent.list({ jobId, after: cursor, limit: PAGE });
      }
    },
    async (error) => {
      log.error("job event stream failed", {
        requestId: c.get("requestId"),
        jobId,
        error: serializeError(error),
      });
    },
  );
}
