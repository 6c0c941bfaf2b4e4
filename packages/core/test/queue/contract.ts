import { describe, expect, it } from "vitest";
import type { JobQueue } from "../../src/queue/index.ts";

export interface QueueUnderTest {
  queue: JobQueue.Port;
  /** Moves the queue's clock forward. */
  advance(ms: number): void;
}

/** Every JobQueue adapter is created with a 30 s visibility timeout and 3 receives before dead-lettering. */
export function jobQueueContract(name: string, make: () => Promise<QueueUnderTest>) {
  const message = (n: number): JobQueue.Message => ({
    accountId: "acct_01JD2V6ZQ4T3N8K5W7Y9B1C3EF",
    jobId: `job_01JD2V6ZQ4T3N8K5W7Y9B1C3E${n}`,
  });

  describe(`JobQueue: ${name}`, () => {
    it("delivers what was sent, with a receive count of 1", async () => {
      const { queue } = await make();
      await queue.send(message(1));
      const [got] = await queue.receive();
      expect(got?.body).toEqual(message(1));
      expect(got?.receiveCount).toBe(1);
    });

    it("hides a received message until its visibility timeout ends, then delivers it again", async () => {
      const { queue, advance } = await make();
      await queue.send(message(1));
      const [first] = await queue.receive();
      expect(await queue.receive()).toEqual([]);
      advance(31_000);
      const [again] = await queue.receive();
      expect(again?.messageId).toBe(first?.messageId);
      expect(again?.receiveCount).toBe(2);
    });

    it("never delivers an acked message again", async () => {
      const { queue, advance } = await make();
      await queue.send(message(1));
      const [got] = await queue.receive();
      await queue.ack(got?.receipt ?? "");
      advance(31_000);
      expect(await queue.receive()).toEqual([]);
    });

    it("makes a released message visible again at once", async () => {
      const { queue } = await make();
      await queue.send(message(1));
      const [got] = await queue.receive();
      await queue.release(got?.receipt ?? "");
      const [again] = await queue.receive();
      expect(again?.body).toEqual(message(1));
    });

    it("moves a message to the dead-letter queue after its maximum receives", async () => {
      const { queue, advance } = await make();
      await queue.send(message(1));
      for (let n = 1; n <= 3; n++) {
        const [got] = await queue.receive();
        expect(got?.receiveCount).toBe(n);
        advance(31_000);
      }
      expect(await queue.receive()).toEqual([]);
      const dead = await queue.deadLetters();
      expect(dead.map((d) => d.body)).toEqual([message(1)]);
    });

    it("delivers several messages in one receive, each once", async () => {
      const { queue } = await make();
      for (let n = 1; n <= 3; n++) await queue.send(message(n));
      const got = await queue.receive({ max: 10 });
      expect(got.map((g) => g.body.jobId).sort()).toEqual([1, 2, 3].map((n) => message(n).jobId));
      expect(await queue.receive({ max: 10 })).toEqual([]);
    });
  });
}
