/**
 * FG_AGENT_TIMING=1 prints how long each browser step took (`fg-timing <step> <ms>`) to stderr, for
 * profiling the agent against the benchmark. Step names are fixed words; nothing from a page is printed.
 */
const enabled = process.env.FG_AGENT_TIMING === "1";

export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    process.stderr.write(`fg-timing ${step} ${Math.round(performance.now() - started)}\n`);
  }
}
