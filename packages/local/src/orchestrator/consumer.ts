import { JobQueue } from "@fg/core";
import type { LocalRunner } from "./runner.ts";

/**
 * The local stand-in for the SQS consumer Lambda: takes job messages off the queue, starts one execution per
 * job, and only takes as many as it has room for (the browser-job concurrency cap).
 */
export function startQueueConsumer(options: {
  runner: LocalRunner;
  maxConcurrent: number;
  log?: (line: string) => void;
}) {
  const log = options.log ?? (() => {});
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const room = options.maxConcurrent - options.runner.running();
      if (room <= 0) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      const messages = await JobQueue.use()
        .receive({ max: room, waitMs: 500 })
        .catch(() => []);
      for (const message of messages) {
        try {
          const { alreadyStarted } = await options.runner.start(message.body);
          if (!alreadyStarted) log(`${message.body.jobId} started (delivery ${message.receiveCount})`);
          await JobQueue.use().ack(message.receipt);
        } catch (error) {
          log(`${message.body.jobId} could not start: ${(error as Error).message}`);
          await JobQueue.use()
            .release(message.receipt, { delayMs: 1000 })
            .catch(() => undefined);
        }
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
