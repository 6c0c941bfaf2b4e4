/**
 * `npm run bench:api`: the public API on loopback over an in-memory DynamoDB Local, loaded by
 * autocannon from a separate process (50 connections, 10 s per route after a 3 s warm-up that is not
 * counted). Prints p50/p95/p99 latency and requests per second for GET /v1/jobs/:id (one job, as a
 * polling client sees it), GET /v1/jobs/:id across 50 jobs, and POST /v1/jobs.
 * BENCH_DURATION_S, BENCH_WARMUP_S and BENCH_CONNECTIONS override the load.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Store } from "@fg/core";
import { startApi } from "@fg/local/api-server";
import { startDynamoLocal } from "@fg/local/dynamo-local";
import { freePort } from "@fg/local/ports";
import { ensureTable } from "@fg/local/table";
import type { LoadPlan, LoadResult } from "./api-load.ts";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const JOBS = 50;
const loader = fileURLToPath(new URL("./api-load.ts", import.meta.url));

async function load(
  plan: Omit<LoadPlan, "connections" | "durationS">,
  durationS: number,
): Promise<LoadResult> {
  const full: LoadPlan = { ...plan, connections: CONNECTIONS, durationS };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...process.execArgv, loader, JSON.stringify(full)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as LoadResult;
}

async function run(route: string, plan: Omit<LoadPlan, "connections" | "durationS">) {
  if (WARMUP_S > 0) await load(plan, WARMUP_S);
  return { route, ...(await load(plan, DURATION_S)) };
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
    const headers = { authorization: `Bearer ${signup.apiKey.secret}`, "content-type": "application/json" };
    const body = JSON.stringify({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    const jobIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const job = await fetch(`${api.url}/v1/jobs`, { method: "POST", headers, body }).then(
        (r) => r.json() as Promise<{ id: string }>,
      );
      jobIds.push(job.id);
    }
    const rows = [
      await run("GET /v1/jobs/:id", { url: `${api.url}/v1/jobs/${jobIds[0]}`, method: "GET", headers }),
      await run(`GET /v1/jobs/:id (${JOBS} jobs)`, {
        url: `${api.url}/v1/jobs/${jobIds[0]}`,
        method: "GET",
        headers,
        paths: jobIds.map((id) => `/v1/jobs/${id}`),
      }),
      await run("POST /v1/jobs", {
        url: `${api.url}/v1/jobs`,
        method: "POST",
        headers,
        body,
        idempotencyKeys: true,
      }),
    ];
    console.log(
      `fg API bench: ${CONNECTIONS} connections, ${DURATION_S} s per route after ${WARMUP_S} s warm-up, autocannon in its own process, loopback, DynamoDB Local in memory`,
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
