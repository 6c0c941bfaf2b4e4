/**
 * Concurrent calls with the same key share one in-flight promise; the next call after it settles
 * starts a new one. Nothing is kept once the promise settles, so a caller never sees a result older
 * than the call that was already running when it arrived.
 */
export function singleFlight<T>(): (key: string, run: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>();
  return (key, run) => {
    const running = inFlight.get(key);
    if (running) return running;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
