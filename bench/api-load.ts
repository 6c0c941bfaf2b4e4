/**
 * The load side of `npm run bench:api`, run in its own process so the load generator does not share
 * the API's event loop. Reads one JSON plan from argv, prints one JSON result line.
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

export interface LoadPlan {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Paths cycled through per request; the url's own path when absent. */
  paths?: string[];
  idempotencyKeys?: boolean;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requests: number;
  non2xx: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

async function load(plan: LoadPlan): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  let next = 0;
  const { paths, idempotencyKeys } = plan;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        method: plan.method,
        headers: plan.headers,
        body: plan.body,
        connections: plan.connections,
        duration: plan.durationS,
        requests: [
          {
            setupRequest: (request) => {
              const headers = idempotencyKeys
                ? { ...request.headers, "idempotency-key": randomUUID() }
                : request.headers;
              const path = paths ? paths[next++ % paths.length] : request.path;
              return { ...request, headers, path };
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) non2xx++;
    });
  });
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: latencies.length,
    non2xx,
    errors: result.errors,
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    rps: Math.round(latencies.length / (result.duration || plan.durationS)),
  };
}

const plan = JSON.parse(process.argv[2] ?? "{}") as LoadPlan;
console.log(JSON.stringify(await load(plan)));
