import { randomBytes } from "node:crypto";
import { FgClient } from "@fg/cli/client";
import type { JobInfo } from "@fg/cli/types";
import { Actor, Job } from "@fg/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startVendorSide } from "../src/runtime.ts";
import { auditJob } from "./fixtures/money-audit.ts";
import { leftoverProcesses } from "./fixtures/processes.ts";
import { type RuntimeChild, spawnRuntime, type VendorSide } from "./fixtures/runtime-child.ts";

// SPEC §8: crashes and restarts never double-charge or skip a refund. The runtime runs as a child process
// so it can die like a crash does; the vendors live here, so their accounts outlive every restart.
const TERMINAL: readonly JobInfo["status"][] = ["succeeded", "failed", "canceled", "needs_human"];

/** Where the paid job's runtime is killed, in the order the job reaches them. */
const KILL_POINTS: { name: string; when: (job: Job.Info) => boolean }[] = [
  { name: "charging", when: (job) => job.status === "charging" },
  { name: "issuing_card", when: (job) => job.status === "issuing_card" },
  { name: "provisioning", when: (job) => job.status === "provisioning" && job.spend.spent === 0 },
  // The vendor has captured on the virtual card, the worker has not reported: spent but not settled.
  {
    name: "provisioning, card captured",
    when: (job) => job.status === "provisioning" && job.spend.spent > 0,
  },
  { name: "settling", when: (job) => job.status === "settling" },
];
const DEADLINE_MS = 12 * 60_000;

const endpoint = inject("dynamoEndpoint");
const mark = `durability-${randomBytes(6).toString("hex")}`;
const vendorStops: (() => Promise<void>)[] = [];
let vendorSide: VendorSide;
let runtime: RuntimeChild | undefined;
const lines: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startRuntime(): Promise<RuntimeChild> {
  return spawnRuntime({
    endpoint,
    table: process.env.FG_TABLE!,
    home: process.env.FG_HOME!,
    vendorSide,
    mark,
    pipeline: { retryIntervalMs: 250 },
    onLine: (line) => {
      lines.push(line);
      if (lines.length > 400) lines.shift();
    },
  });
}

/** Straight from the table: the API would add a round trip and miss the short money states. */
function readJob(accountId: string, jobId: string): Promise<Job.Info> {
  return Actor.system("durability test", accountId, () => Job.get({ id: jobId }));
}

beforeAll(async () => {
  const side = await startVendorSide({}, false, vendorStops, () => {});
  vendorSide = { vendors: side.vendors, smtpPort: side.smtpPort, cardNetworkUrl: side.cardNetworkUrl };
});

afterAll(async () => {
  await runtime?.crash();
  for (const stop of vendorStops.reverse()) await stop().catch(() => undefined);
});

describe("durability under crashes", () => {
  it("finishes or compensates every job, charging at most once, when the runtime is SIGKILLed at each money step", async ({
    annotate,
  }) => {
    runtime = await startRuntime();
    const signup = await new FgClient({ apiUrl: runtime.apiUrl }).signup(`durability-${mark}@fg.test`);
    const accountId = signup.account.id;
    const client = () => new FgClient({ apiUrl: runtime!.apiUrl, apiKey: signup.apiKey.secret });
    await client().addCard("pm_card_visa");

    const paid = await client().createJob({
      vendor: "relay-mail",
      goal: "api_key",
      plan: "starter",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    const free = await Promise.all(
      ["nimbus-db", "pixel-cdn"].map((vendor) =>
        client().createJob({ vendor, goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
      ),
    );
    const jobIds = [paid.id, ...free.map((j) => j.id)];

    // Each kill point is taken once, the first time the paid job is seen there (a short one may slip by).
    const deadline = Date.now() + DEADLINE_MS;
    const killedAt: string[] = [];
    let next = 0;
    while (next < KILL_POINTS.length && Date.now() < deadline) {
      const job = await readJob(accountId, paid.id);
      if (TERMINAL.includes(job.status)) break;
      const point = KILL_POINTS.findIndex((p, i) => i >= next && p.when(job));
      if (point >= 0) {
        await runtime.crash();
        killedAt.push(KILL_POINTS[point]!.name);
        next = point + 1;
        runtime = await startRuntime();
      }
      await sleep(5);
    }

    let statuses: JobInfo["status"][] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(jobIds.map(async (id) => (await readJob(accountId, id)).status));
      if (statuses.every((s) => TERMINAL.includes(s))) break;
      await sleep(500);
    }

    const audits = await Promise.all(jobIds.map((id) => auditJob(client(), id)));
    const verified = await client().verifyLedger();
    await runtime.stop();
    const leftovers = await leftoverProcesses(mark);

    await annotate(
      `runtime killed at: ${killedAt.join(", ")}; outcomes: ${audits.map((a) => `${a.vendor} ${a.status}${a.reason ? ` (${a.reason})` : ""}`).join(", ")}`,
    );
    const context = `killed at ${killedAt.join(", ")}; statuses ${statuses.join(", ")}\n${lines.slice(-60).join("\n")}`;
    expect(killedAt, context).toContain("provisioning");
    expect(killedAt.length, context).toBeGreaterThanOrEqual(2);
    expect(
      audits.map((a) => ({ jobId: a.jobId, problems: a.problems })),
      context,
    ).toEqual(jobIds.map((jobId) => ({ jobId, problems: [] })));
    for (const audit of audits) {
      expect(TERMINAL).toContain(audit.status);
      expect(audit.charges).toBeLessThanOrEqual(1);
      expect(audit.captured).toBe(audit.spent + audit.refunded);
      expect(audit.refunded).toBeLessThanOrEqual(audit.captured);
    }
    expect(verified.valid).toBe(true);
    expect(leftovers).toEqual([]);
  }, 900_000);
});
