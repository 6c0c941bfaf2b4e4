import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { IdempotencyRecordEntity } from "./idempotency-record.entity.ts";

const TTL_SECONDS = 24 * 3600;
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 25;

export namespace Idempotency {
  /** Printable ASCII, like Stripe's and the IETF draft's keys. */
  export const Key = z
    .string()
    .min(1, "must not be empty")
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

  export type Outcome = { replay: false } | { replay: true; statusCode: number; response: unknown };

  const Ref = { scope: z.string().min(1).max(200), key: Key };

  /**
   * Claims a key for one request. A later request with the same key and the same hash gets the first
   * one's stored response (waiting while the first is still running); a different hash is a 422.
   */
  export const begin = fn(
    z.object({ ...Ref, requestHash: z.string().min(1).max(128) }).strict(),
    async ({ scope, key, requestHash }): Promise<Outcome> => {
      const accountId = Actor.accountId();
      const expiresAt = Math.floor(Date.now() / 1000) + TTL_SECONDS;
      try {
        await IdempotencyRecordEntity.create({
          accountId,
          scope,
          key,
          requestHash,
          status: "in_progress",
          expiresAt,
        }).go();
        return { replay: false };
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
      const deadline = Date.now() + WAIT_FOR_FIRST_MS;
      for (;;) {
        const found = await IdempotencyRecordEntity.get({ accountId, scope, key }).go({ consistent: true });
        const record = found.data;
        if (!record) return begin({ scope, key, requestHash });
        if (record.requestHash !== requestHash) {
          throw new VisibleError(
            "unprocessable",
            "idempotency.key_reused",
            "This Idempotency-Key was already used with a different request",
          );
        }
        if (record.status === "completed") {
          return { replay: true, statusCode: record.statusCode ?? 200, response: record.response ?? null };
        }
        if (Date.now() >= deadline) {
          throw new VisibleError(
            "conflict",
            "idempotency.in_progress",
            "A request with this Idempotency-Key is still being processed",
          );
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
  );

  export const complete = fn(
    z.object({ ...Ref, statusCode: z.number().int().min(200).max(599), response: z.unknown() }).strict(),
    async ({ scope, key, statusCode, response }): Promise<void> => {
      const accountId = Actor.accountId();
      await IdempotencyRecordEntity.patch({ accountId, scope, key })
        .set({ status: "completed", statusCode, response })
        .go();
    },
  );

  /** Frees the key after a failed attempt, so the client can retry it. */
  export const abandon = fn(z.object(Ref).strict(), async ({ scope, key }): Promise<void> => {
    const accountId = Actor.accountId();
    await IdempotencyRecordEntity.delete({ accountId, scope, key })
      .where((a, op) => op.eq(a.status, "in_progress"))
      .go()
      .catch((error: unknown) => {
        if (!isConditionalFailure(error)) throw error;
      });
  });
}
