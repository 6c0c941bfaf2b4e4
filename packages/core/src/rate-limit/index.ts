import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { fn } from "../util/fn.ts";
import { RateLimitCounterEntity } from "./rate-limit-counter.entity.ts";

/** Below this share of the budget, hits are counted locally and written in batches. */
const EXACT_ABOVE = 0.8;
const FLUSH_EVERY_HITS = 100;
const FLUSH_EVERY_MS = 1_000;

interface Window {
  window: number;
  /** Hits this instance counted in the window; a hit's ordinal is its place among them. */
  hits: number;
  /** Hits of this instance already added to the DynamoDB counter. */
  flushed: number;
  /** Hits other instances had added, as of the last write's returned total. */
  others: number;
  flushedAt: number;
  flushing?: Promise<void>;
}

export namespace RateLimit {
  export const Result = z.object({
    allowed: z.boolean(),
    limit: z.number().int(),
    remaining: z.number().int(),
    /** Seconds until the current window ends. */
    resetSeconds: z.number().int(),
  });
  export type Result = z.infer<typeof Result>;

  /** The per-minute budget of one API key; FG_RATE_LIMIT_PER_MINUTE overrides it. */
  export function perMinute(): number {
    const value = Number(process.env.FG_RATE_LIMIT_PER_MINUTE ?? "");
    return Number.isInteger(value) && value > 0 ? value : 600;
  }

  const windows = new Map<string, Window>();

  function flush(accountId: string, subject: string, state: Window, windowSeconds: number): Promise<void> {
    if (state.flushing) return state.flushing;
    const delta = state.hits - state.flushed;
    if (delta === 0) return Promise.resolve();
    state.flushing = (async () => {
      try {
        const updated = await RateLimitCounterEntity.update({ accountId, subject, window: state.window })
          .add({ count: delta })
          .set({ expiresAt: (state.window + 2) * windowSeconds })
          .go({ response: "all_new" });
        state.flushed += delta;
        state.others = Math.max(state.others, (updated.data.count ?? delta) - state.flushed);
      } finally {
        state.flushedAt = Date.now();
        state.flushing = undefined;
      }
    })();
    return state.flushing;
  }

  /**
   * Counts one request against a fixed window whose counter lives in DynamoDB, so every API instance
   * shares one budget. Far from the limit, an instance batches its increments (at most
   * FLUSH_EVERY_HITS or FLUSH_EVERY_MS behind); near it, every hit is written and read back before
   * the decision, so the limit holds exactly on one instance and closely across several.
   */
  export const hit = fn(
    z
      .object({
        subject: z.string().min(1).max(200),
        limit: z.number().int().positive(),
        windowSeconds: z.number().int().positive().default(60),
      })
      .strict(),
    async ({ subject, limit, windowSeconds }): Promise<Result> => {
      const accountId = Actor.accountId();
      const nowS = Date.now() / 1000;
      const window = Math.floor(nowS / windowSeconds);
      const resetSeconds = Math.max(1, Math.ceil((window + 1) * windowSeconds - nowS));
      const key = `${accountId}\u0000${subject}\u0000${windowSeconds}`;
      let state = windows.get(key);
      if (!state || state.window !== window) {
        if (state?.flushing) await state.flushing.catch(() => undefined);
        state = { window, hits: 0, flushed: 0, others: 0, flushedAt: 0 };
        windows.set(key, state);
        for (const [k, w] of windows) if (w.window < window - 1) windows.delete(k);
      }
      state.hits++;
      const ordinal = state.hits;
      if (state.flushedAt === 0 || ordinal + state.others > limit * EXACT_ABOVE) {
        while (state.flushed < ordinal) await flush(accountId, subject, state, windowSeconds);
      } else if (
        state.hits - state.flushed >= FLUSH_EVERY_HITS ||
        Date.now() - state.flushedAt > FLUSH_EVERY_MS
      ) {
        void flush(accountId, subject, state, windowSeconds).catch(() => undefined);
      }
      const count = ordinal + state.others;
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds };
    },
  );
}
