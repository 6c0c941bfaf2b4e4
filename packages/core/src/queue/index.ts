import { z } from "zod";
import { Id } from "../util/id.ts";
import { createLocalJobQueue } from "./local.ts";

export namespace JobQueue {
  export const Message = z.object({ accountId: Id.schema("account"), jobId: Id.schema("job") }).strict();
  export type Message = z.infer<typeof Message>;

  export interface Received {
    messageId: string;
    /** Changes on every receive; only the latest one can ack or release. */
    receipt: string;
    body: Message;
    /** 1 on the first delivery. */
    receiveCount: number;
  }

  export interface ReceiveOptions {
    max?: number;
    /** Long poll: wait up to this long for a first message. */
    waitMs?: number;
    /** Overrides the queue's visibility timeout for these messages. */
    visibilityTimeoutMs?: number;
  }

  /**
   * At-least-once delivery with SQS semantics: a received message is hidden for the visibility timeout
   * and comes back unless acked; after `maxReceives` receives it moves to the dead-letter queue.
   */
  export interface Port {
    send(message: Message, options?: { delayMs?: number }): Promise<{ messageId: string }>;
    receive(options?: ReceiveOptions): Promise<Received[]>;
    ack(receipt: string): Promise<void>;
    /** Makes a received message visible again after `delayMs` (0: now) without acking it. */
    release(receipt: string, options?: { delayMs?: number }): Promise<void>;
    /** Messages that exhausted their receives, oldest first. */
    deadLetters(options?: { max?: number }): Promise<Received[]>;
  }

  let configured: Port | undefined;

  export function configure(port: Port): void {
    configured = port;
  }

  /** The configured adapter; the in-process queue unless something (the Lambda handler) configured SQS. */
  export function use(): Port {
    configured ??= createLocalJobQueue();
    return configured;
  }

  export function parse(body: unknown): Message {
    return Message.parse(body);
  }
}
