import { randomUUID } from "node:crypto";
import type { JobQueue } from "./index.ts";

export interface LocalJobQueueOptions {
  visibilityTimeoutMs?: number;
  maxReceives?: number;
  /** Injectable clock, so tests can move time without waiting. */
  now?: () => number;
}

interface Stored {
  messageId: string;
  body: JobQueue.Message;
  receiveCount: number;
  visibleAt: number;
  receipt?: string;
}

const POLL_MS = 20;

/** An in-process queue with the SQS semantics the consumer relies on; state dies with the process. */
export function createLocalJobQueue(options: LocalJobQueueOptions = {}): JobQueue.Port {
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
  const maxReceives = options.maxReceives ?? 3;
  const now = options.now ?? Date.now;
  const messages: Stored[] = [];
  const dead: Stored[] = [];

  const toReceived = (m: Stored): JobQueue.Received => ({
    messageId: m.messageId,
    receipt: m.receipt ?? "",
    body: structuredClone(m.body),
    receiveCount: m.receiveCount,
  });

  function take(max: number, visibilityMs: number): JobQueue.Received[] {
    const out: JobQueue.Received[] = [];
    const t = now();
    for (const message of [...messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > t) continue;
      if (message.receiveCount >= maxReceives) {
        messages.splice(messages.indexOf(message), 1);
        message.receipt = undefined;
        dead.push(message);
        continue;
      }
      message.receiveCount++;
      message.receipt = randomUUID();
      message.visibleAt = t + visibilityMs;
      out.push(toReceived(message));
    }
    return out;
  }

  function byReceipt(receipt: string): Stored | undefined {
    return messages.find((m) => m.receipt === receipt);
  }

  return {
    async send(message, sendOptions) {
      const stored: Stored = {
        messageId: randomUUID(),
        body: structuredClone(message),
        receiveCount: 0,
        visibleAt: now() + (sendOptions?.delayMs ?? 0),
      };
      messages.push(stored);
      return { messageId: stored.messageId };
    },
    async receive(receiveOptions = {}) {
      const max = Math.min(Math.max(receiveOptions.max ?? 1, 1), 10);
      const visibility = receiveOptions.visibilityTimeoutMs ?? visibilityTimeoutMs;
      const deadline = Date.now() + (receiveOptions.waitMs ?? 0);
      for (;;) {
        const got = take(max, visibility);
        if (got.length > 0 || Date.now() >= deadline) return got;
        await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(deadline - Date.now(), 1))));
      }
    },
    async ack(receipt) {
      const message = byReceipt(receipt);
      if (message) messages.splice(messages.indexOf(message), 1);
    },
    async release(receipt, releaseOptions) {
      const message = byReceipt(receipt);
      if (message) message.visibleAt = now() + (releaseOptions?.delayMs ?? 0);
    },
    async deadLetters(deadOptions) {
      return dead.slice(0, deadOptions?.max ?? 10).map(toReceived);
    },
  };
}
