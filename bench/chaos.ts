/**
 * `npm run bench:chaos [-- --jobs N] [--seed S]`: N jobs (default 20) across the demo vendors while faults are
 * injected at random: browser workers SIGKILLed, the whole runtime SIGKILLed and restarted, job messages
 * delivered twice, wobbly-crm answering 500, cards on file that decline, and every card-network capture sent
 * twice. Then each job is audited through the API and the figure is printed:
 * `reconciled <k>/<N>` (ended, captured = spent + refunded, ledger consistent and verified) and
 * `double_charges <n>`. Exits 0 only for N/N and 0.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { FgClient } from "@fg/cli/client";
import type { JobInfo } from "@fg/cli/types";
import { Actor, Job, Store } from "@fg/core";
import { ensureTable, startDynamoLocal } from "@fg/local";
import { startCardNetwork } from "@fg/local/card-network/index";
import { startSmtpInbox } from "@fg/local/smtp/index";
import { startVendors, VENDOR_SLUGS } from "@fg/vendors";
import { auditJob, type JobAudit } from "../packages/local/test/fixtures/money-audit.ts";
import { leftoverProcesses, processesMarked } from "../packages/local/test/fixtures/processes.ts";
import { type RuntimeChild, spawnRuntime } from "../packages/local/test/fixtures/runtime-child.ts";

const { values: args } = parseArgs({
  options: { jobs: { type: "string", default: "20" }, seed: { type: "string" } },
});
const N = Number(args.jobs);
const SEED = Number(args.seed ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(N) || N < 1) throw new Error("--jobs must be a positive integer");

const TERMINAL: readonly JobInfo["status"][] = ["succeeded", "failed", "canceled", "needs_human"];
/** Fault budgets, so the jobs still get somewhere between faults. */
const BUDGET = { restarts: Math.max(2, Math.ceil(N / 4)), workerKills: Math.ceil(N / 3), redeliveries: N };
const DEADLINE_MS = Math.max(20, N * 2) * 60_000;

// mulberry32: the run's faults, vendors and cards repeat for the same --seed.
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const started = Date.now();
const progress = (line: string) =>
  process.stdout.write(`${`${((Date.now() - started) / 1000).toFixed(0)}s`.padStart(6)}  ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface BenchJob {
  id: string;
  accountId: string;
  vendor: string;
  card: string;
  apiKey: string;
  status: JobInfo["status"];
}

/**
 * The card network behind a proxy that sends every capture twice, as a retrying vendor would: the second
 * must be refused and must not book spend again.
 */
async function duplicatingProxy(target: string, counts: { captures: number; refused: number }) {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const send = () =>
        fetch(`${target}${req.url}`, {
          method: req.method,
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          ...(body && req.method !== "GET" ? { body } : {}),
        });
      try {
        const first = await send();
        const headers = Object.fromEntries(first.headers.entries());
        delete headers["content-encoding"];
        delete headers["content-length"];
        const payload = Buffer.from(await first.arrayBuffer());
        if (req.method === "POST" && req.url === "/capture" && first.ok) {
          counts.captures++;
          const again = await send();
          if (!again.ok) counts.refused++;
          await again.arrayBuffer();
        }
        res.writeHead(first.status, headers).end(payload);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<boolean> {
  const stops: (() => Promise<void>)[] = [];
  const home = mkdtempSync(path.join(tmpdir(), "fg-chaos-"));
  const mark = `chaos-${randomBytes(6).toString("hex")}`;
  const logPath = path.join(tmpdir(), `fg-${mark}.log`);
  const logFile = createWriteStream(logPath);
  process.env.FG_HOME = home;
  process.env.FG_RATE_LIMIT_PER_MINUTE = "100000";
  progress(`chaos bench: ${N} jobs, seed ${SEED}; runtime and worker output in ${logPath}`);

  let runtime: RuntimeChild | undefined;
  const clientFor = (job: BenchJob) => new FgClient({ apiUrl: runtime!.apiUrl, apiKey: job.apiKey });
  try {
    const dynamo = await startDynamoLocal();
    stops.push(() => dynamo.stop());
    const table = "fg-chaos";
    await ensureTable(dynamo.endpoint, table);
    process.env.FG_DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.FG_TABLE = table;
    Store.configure({ table, endpoint: dynamo.endpoint, region: "us-east-1" });

    const smtp = await startSmtpInbox({ port: 0 });
    stops.push(() => smtp.stop());
    const network = await startCardNetwork();
    stops.push(() => network.stop());
    const captures = { captures: 0, refused: 0 };
    const proxy = await duplicatingProxy(network.url, captures);
    stops.push(() => proxy.stop());
    const vendors = await startVendors({
      smtpPort: smtp.port,
      cardNetworkUrl: proxy.url,
      admin: false,
      wobbly: { captchaRate: 0.2, errorRate: 0.4, seed: SEED },
    });
    stops.push(() => vendors.stop());
    const vendorSide = {
      vendors: Object.fromEntries(Object.entries(vendors.vendors).map(([slug, v]) => [slug, v.url])),
      smtpPort: smtp.port,
      cardNetworkUrl: proxy.url,
    };

    const start = () =>
      spawnRuntime({
        endpoint: dynamo.endpoint,
        table,
        home,
        vendorSide,
        mark,
        pipeline: { retryIntervalMs: 250 },
        onLine: (line) => logFile.write(`${line}\n`),
      });
    runtime = await start();
    progress(`runtime up (pid ${runtime.pid}) at ${runtime.apiUrl}; DynamoDB Local in memory`);

    // One account per job, so jobs never share a vendor login; a share of the paid ones has a declining card.
    const jobs: BenchJob[] = [];
    const order = Array.from({ length: N }, (_, i) => VENDOR_SLUGS[i % VENDOR_SLUGS.length]!).sort(
      () => random() - 0.5,
    );
    for (const [i, vendor] of order.entries()) {
      const paid = vendor === "relay-mail";
      const card = paid && random() < 0.3 ? "pm_card_chargeDeclined" : "pm_card_visa";
      const signup = await new FgClient({ apiUrl: runtime.apiUrl }).signup(`chaos-${mark}-${i}@fg.test`);
      const client = new FgClient({ apiUrl: runtime.apiUrl, apiKey: signup.apiKey.secret });
      await client.addCard(card);
      const job = await client.createJob({
        vendor,
        goal: "api_key",
        ...(paid ? { plan: "starter" } : {}),
        maxSpend: { amount: paid ? 2000 : 0, currency: "usd" },
      });
      jobs.push({
        id: job.id,
        accountId: signup.account.id,
        vendor,
        card,
        apiKey: signup.apiKey.secret,
        status: job.status,
      });
    }
    progress(
      `created ${N} jobs: ${VENDOR_SLUGS.map((v) => `${jobs.filter((j) => j.vendor === v).length} ${v}`).join(", ")}; ` +
        `${jobs.filter((j) => j.card !== "pm_card_visa").length} with a declining card`,
    );

    const faults = { restarts: 0, workerKills: 0, redeliveries: 0 };
    let nextFault = Date.now() + 3_000 + random() * 7_000;
    for (;;) {
      for (const job of jobs) {
        if (TERMINAL.includes(job.status)) continue;
        const status = await Actor.system("chaos bench", job.accountId, () => Job.get({ id: job.id }))
          .then((j) => j.status)
          .catch(() => job.status);
        if (status !== job.status && TERMINAL.includes(status))
          progress(`${job.id} ${job.vendor}: ${status}`);
        job.status = status;
      }
      const live = jobs.filter((j) => !TERMINAL.includes(j.status));
      if (live.length === 0) break;
      if (Date.now() - started > DEADLINE_MS) {
        progress(`deadline reached with ${live.length} job(s) unfinished`);
        break;
      }
      if (Date.now() >= nextFault) {
        nextFault = Date.now() + 3_000 + random() * 9_000;
        const roll = random();
        const workers = processesMarked(mark).filter(
          (p) =>
            p.command.startsWith(`${process.execPath} --import tsx`) && p.command.includes("browser-worker"),
        );
        if (roll < 0.35 && faults.workerKills < BUDGET.workerKills && workers.length > 0) {
          const victim = pick(workers);
          process.kill(victim.pid, "SIGKILL");
          faults.workerKills++;
          progress(`fault: SIGKILL the browser worker of ${victim.jobId} (${live.length} job(s) live)`);
        } else if (roll < 0.6 && faults.restarts < BUDGET.restarts) {
          await runtime.crash();
          faults.restarts++;
          progress(`fault: SIGKILL the runtime (${live.length} job(s) live: ${summary(live)})`);
          runtime = await start();
          progress(`runtime restarted (pid ${runtime.pid})`);
        } else if (faults.redeliveries < BUDGET.redeliveries) {
          const job = pick(jobs);
          runtime.deliver({ accountId: job.accountId, jobId: job.id });
          faults.redeliveries++;
          progress(`fault: deliver ${job.id} (${job.status}) to the queue again`);
        }
      }
      await sleep(500);
    }

    const audits: JobAudit[] = [];
    const ledgers = new Map<string, boolean>();
    for (const job of jobs) {
      audits.push(await auditJob(clientFor(job), job.id));
      ledgers.set(job.accountId, (await clientFor(job).verifyLedger()).valid);
    }
    const reconciled = audits.filter((a, i) => a.problems.length === 0 && ledgers.get(jobs[i]!.accountId));
    const doubleCharges = audits.reduce((n, a) => n + (a.doubleCharged ? Math.max(1, a.charges - 1) : 0), 0);

    await runtime.stop();
    runtime = undefined;
    const leftovers = await leftoverProcesses(mark, 30_000);

    process.stdout.write("\n");
    for (const [i, a] of audits.entries()) {
      const job = jobs[i]!;
      const money = a.maxSpend > 0 ? ` captured ${a.captured} spent ${a.spent} refunded ${a.refunded}` : "";
      const card = job.card === "pm_card_visa" ? "" : ` (${job.card})`;
      const why = a.reason && a.status !== "succeeded" ? ` — ${a.reason.slice(0, 100)}` : "";
      const problems =
        a.problems.length > 0 || !ledgers.get(job.accountId)
          ? ` PROBLEM: ${a.problems.join("; ") || "ledger invalid"}`
          : "";
      process.stdout.write(`${a.jobId} ${a.vendor.padEnd(10)} ${a.status}${card}${money}${why}${problems}\n`);
    }
    const outcomes = new Map<string, number>();
    for (const a of audits) outcomes.set(a.status, (outcomes.get(a.status) ?? 0) + 1);
    process.stdout.write(
      `\nfaults: ${faults.restarts} runtime restarts, ${faults.workerKills} worker kills, ${faults.redeliveries} duplicate deliveries, ` +
        `${captures.captures} duplicate captures (${captures.refused} refused), wobbly-crm 500s at rate 0.4, ` +
        `${jobs.filter((j) => j.card !== "pm_card_visa").length} declining cards\n`,
    );
    process.stdout.write(`outcomes: ${[...outcomes].map(([s, n]) => `${s} ${n}`).join(", ")}\n`);
    if (leftovers.length > 0) {
      process.stdout.write(
        `leftover processes: ${leftovers.map((p) => `${p.pid} ${p.command}`).join("; ")}\n`,
      );
    }
    process.stdout.write(`reconciled ${reconciled.length}/${N}\ndouble_charges ${doubleCharges}\n`);
    return reconciled.length === N && doubleCharges === 0 && leftovers.length === 0;
  } finally {
    await runtime?.crash();
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    logFile.end();
    rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  }
}

function summary(live: BenchJob[]): string {
  const counts = new Map<string, number>();
  for (const j of live) counts.set(j.status, (counts.get(j.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`chaos bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
