import { backoffMs, type FgClient, sleep, toApiError, unreachable } from "./client.ts";
import { CliError } from "./errors.ts";
import { isTerminal, type JobEventInfo, type JobInfo } from "./types.ts";

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Parses a text/event-stream body (WHATWG rules: fields, multi-line data, comments, CRLF). */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = "";
  let message: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const newline = buffer.search(/\r\n|\r|\n/);
      if (newline < 0) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (message.data.length > 0) {
          yield { id: message.id, event: message.event, data: message.data.join("\n") };
        }
        message = { data: [] };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") message.data.push(value);
      else if (field === "id") message.id = value;
      else if (field === "event") message.event = value;
    }
  }
}

export interface FollowOptions {
  /** Only events with a larger seq are delivered. */
  after?: number;
  signal?: AbortSignal;
  onEvent: (event: JobEventInfo) => void | Promise<void>;
  /** Called when the stream dropped and is being resumed from `lastSeq`. */
  onReconnect?: (info: { lastSeq: number; failures: number }) => void;
  /** Consecutive failed connections before giving up. */
  maxFailures?: number;
}

/**
 * Follows a job's Server-Sent Events until the job ends, resuming with Last-Event-ID whenever the stream
 * drops, and delivers each event exactly once in seq order. Returns the job as it finished.
 */
export async function followJob(client: FgClient, jobId: string, options: FollowOptions): Promise<JobInfo> {
  let lastSeq = options.after ?? 0;
  let failures = 0;
  const maxFailures = options.maxFailures ?? 10;
  const deliver = async (event: JobEventInfo) => {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    await options.onEvent(event);
  };
  for (;;) {
    if (options.signal?.aborted) throw new CliError("Interrupted", `Stopped following ${jobId}`, 130);
    try {
      const headers = client.headers({ extra: { accept: "text/event-stream" } });
      if (lastSeq > 0) headers["last-event-id"] = String(lastSeq);
      const url = client.url(`/v1/jobs/${encodeURIComponent(jobId)}/events`);
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: options.signal });
      } catch (error) {
        if (options.signal?.aborted) continue;
        throw unreachable(client.apiUrl, error);
      }
      if (!res.ok) {
        const error = await toApiError(res);
        if (res.status < 500 && res.status !== 429) throw error;
        throw new RetryableError(error.message);
      }
      if (!res.body) throw new RetryableError("the event stream had no body");
      for await (const message of parseSse(res.body)) {
        const event = JSON.parse(message.data) as JobEventInfo;
        failures = 0;
        await deliver(event);
      }
    } catch (error) {
      if (options.signal?.aborted) continue;
      const retryable =
        error instanceof RetryableError ||
        (error instanceof CliError && error.title === "Cannot reach the fg API") ||
        !(error instanceof CliError);
      if (!retryable) throw error;
      failures++;
      if (failures >= maxFailures) {
        throw error instanceof CliError
          ? error
          : new CliError("Lost the job's event stream", `${(error as Error).message}`);
      }
      options.onReconnect?.({ lastSeq, failures });
      await sleep(backoffMs(failures), options.signal);
      continue;
    }
    // The stream ended: the server closes it once the job is finished and drained, or a proxy cut it.
    const job = await client.getJob(jobId);
    if (isTerminal(job.status)) {
      for (;;) {
        const page = await client.jobEvents(jobId, lastSeq);
        for (const event of page.data) await deliver(event);
        if (!page.nextCursor) break;
      }
      return job;
    }
    options.onReconnect?.({ lastSeq, failures });
    await sleep(RESUME_DELAY_MS, options.signal);
  }
}

const RESUME_DELAY_MS = 250;

class RetryableError extends Error {}
