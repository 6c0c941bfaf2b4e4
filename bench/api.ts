/**
 * `npm run bench:api`: the public API on loopback over an in-memory DynamoDB Local, hammered by autocannon
 * (50 connections, 10 s per route). Prints p50/p95/p99 latency and requests per second for
 * GET /v1/jobs/:id and POST /v1/jobs. BENCH_DURATION_S and BENCH_CONNECTIONS override the load.
 */
import { randomUUID } from "node:crypto";
import { Store } from "@fg/core";
import { startApi } from "@fg/local/api-server";
import { startDynamoLocal } from "@fg/local/dynamo-local";
import { freePort } from "@fg/local/ports";
import { ensureTable } from "@fg/local/table";
import autocannon from "autocannon";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Row {
  route: string;
  requests: number;
  non2xx: number;
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

async function run(route: string, options: autocannon.Options): Promise<Row> {
  const latencies: number[] = [];
  let non2xx = 0;
  let done: (result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => {
    done = resolve;
  });
  const instance = autocannon(
    { ...options, connections: CONNECTIONS, duration: DURATION_S },
    (error, result) => {
      if (error) throw error;
      done(result);
    },
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) non2xx++;
  });
  const result = await finished;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    route,
    requests: latencies.length,
    non2xx,
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    rps: Math.round(latencies.length / (result.duration || DURATION_S)),
  };
}

async function main() {
  process.env.FG_RATE_LIMIT_PER_MINUTE = "100000000";
  process.env.FG_LOG_LEVEL = "ERROR";
  const dynamo = await startDynamoLocal();
  const table = "fg-bench";
  await ensureTable(dynamo.endpoint, table);
  process.env.FG_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.FG_TABLE = table;
  Store.configure({ table, endpoint: dynamo.endpoint, region: "us-east-1" });
  const api = await startApi({ port: await freePort() });
  try {
    const signup = await fetch(`${api.url}/v1/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `bench-${randomUUID()}@example.com` }),
    }).then((r) => r.json() as Promise<{ apiKey: { secret: string } }>);
    const auth = { authorization: `Bearer ${signup.apiKey.secret}`, "content-type": "application/json" };
    const body = JSON.stringify({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    const job = await fetch(`${api.url}/v1/jobs`, { method: "POST", headers: auth, body }).then(
      (r) => r.json() as Promise<{ id: string }>,
    );
    const rows = [
      await run("GET /v1/jobs/:id", { url: `${api.url}/v1/jobs/${job.id}`, headers: auth }),
      await run("POST /v1/jobs", {
        url: `${api.url}/v1/jobs`,
        method: "POST",
        headers: auth,
        body,
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, "idempotency-key": randomUUID() },
            }),
          },
        ],
      }),
    ];
    console.log(
      `fg API bench: ${CONNECTIONS} connections, ${DURATION_S} s per route, loopback, DynamoDB Local in memory`,
    );
    console.table(rows);
    console.log(JSON.stringify(rows));
  } finally {
    // autocannon stops with requests still in flight; let them finish before the store goes away.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await api.stop();
    await dynamo.stop();
  }
}

await main();
