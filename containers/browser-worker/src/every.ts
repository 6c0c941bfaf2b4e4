import { setTimeout as sleep } from "node:timers/promises";

/** Runs `tick` every `ms` milliseconds, never two at once, until `signal` aborts. Resolves when it stops. */
export async function every(ms: number, signal: AbortSignal, tick: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      return;
    }
    await tick();
  }
}
