import { execFileSync } from "node:child_process";
import { FgClient } from "@fg/cli/client";
import type { JobInfo } from "@fg/cli/types";
import { Actor, Card, JobEvent, JobQueue, Ledger, StepRecord } from "@fg/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalRuntime, startLocalRuntime } from "../src/runtime.ts";

// End to end through the HTTP API: queue → local state machine → worker process → Chromium → vendors.
let runtime: LocalRuntime;
let anonymous: FgClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    storage: "memory",
    dynamoEndpoint: inject("dynamoEndpoint"),
    table: process.env.FG_TABLE,
    vendorsAdmin: true,
    wobbly: { captchaRate: 0, errorRate: 0.5, delayMs: [50, 200], seed: 3 },
    pipeline: {
      approvalTimeoutSeconds: 15,
      workerHeartbeatSeconds: 2,
      browserHeartbeatSeconds: 60,
      retryIntervalMs: 100,
    },
    maxConcurrentJobs: 4,
  });
  anonymous = new FgClient({ apiUrl: runtime.apiUrl });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
}, 60_000);

async function newClient(card = "pm_card_visa") {
  const signup = await anonymous.signup(`e2e-${Date.now()}-${Math.random().toString(36).slice(2)}@fg.test`);
  const client = new FgClient({ apiUrl: runtime.apiUrl, apiKey: signup.apiKey.secret });
  await client.addCard(card);
  return { client, accountId: signup.account.id };
}

async function until(client: FgClient, jobId: string, done: (job: JobInfo) => boolean, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.getJob(jobId);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} stuck in ${job.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const ended = (job: JobInfo) => ["succeeded", "failed", "canceled", "needs_human"].includes(job.status);

async function adminKeys(slug: string): Promise<string[]> {
  const res = await fetch(runtime.vendors[slug]!.adminUrl!);
  const body = (await res.json()) as { accounts: { keys: { value: string }[] }[] };
  return body.accounts.flatMap((a) => a.keys.map((k) => k.value));
}

/** The worker node processes of this test's runtime (other runtimes on the machine are not ours to kill). */
function workerPids(): number[] {
  return (runtime.runner?.workers() ?? []).flatMap(({ pid }) => {
    try {
      return execFileSync("pgrep", ["-P", String(pid), "-f", "^[^ ]*node .*browser-worker/src/main.ts"], {
        encoding: "utf8",
      })
        .trim()
        .split("\n")
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  });
}

describe("the job pipeline", () => {
  it("provisions every demo vendor; the paid one refunds the difference; the ledger verifies", async () => {
    const { client } = await newClient();
    const jobs = await Promise.all([
      client.createJob({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
      client.createJob({
        vendor: "relay-mail",
        goal: "api_key",
        plan: "starter",
        maxSpend: { amount: 2000, currency: "usd" },
      }),
      client.createJob({ vendor: "pixel-cdn", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
      client.createJob({ vendor: "wobbly-crm", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
    ]);
    const finished = await Promise.all(jobs.map((job) => until(client, job.id, ended)));
    for (const job of finished) {
      expect(job.status, `${job.vendor}: ${job.failure?.message}`).toBe("succeeded");
      expect(job.credentialIds).toHaveLength(1);
      const { value } = await client.revealCredential(job.credentialIds[0]!, "e2e check");
      expect(await adminKeys(job.vendor)).toContain(value);
    }
    const paid = finished.find((j) => j.vendor === "relay-mail")!;
    expect(paid.spend).toEqual({ captured: 2000, spent: 1500, refunded: 500, currency: "usd" });
    expect((await client.verifyLedger()).valid).toBe(true);
  }, 400_000);

  it("rejects a job over the per-job cap when it is created, and writes nothing", async () => {
    const { client } = await newClient();
    await client.putPolicy({ perJobCap: 1000 });
    await expect(
      client.createJob({
        vendor: "relay-mail",
        goal: "api_key",
        plan: "starter",
        maxSpend: { amount: 2000, currency: "usd" },
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await client.listJobs({})).data).toEqual([]);
  });

  it("holds a job above the approval threshold until it is approved, then runs it", async () => {
    const { client } = await newClient();
    await client.putPolicy({ approvalThreshold: 1000 });
    const job = await client.createJob({
      vendor: "relay-mail",
      goal: "api_key",
      plan: "starter",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    await until(client, job.id, (j) => j.status === "awaiting_approval", 60_000);
    expect((await client.getJob(job.id)).spend.captured).toBe(0);
    await client.approveJob(job.id);
    const done = await until(client, job.id, ended);
    expect(done.status).toBe("succeeded");
    expect(done.spend).toMatchObject({ captured: 2000, spent: 1500, refunded: 500 });
  }, 400_000);

  it("cancels a job whose approval times out, with nothing charged", async () => {
    const { client, accountId } = await newClient();
    await client.putPolicy({ approvalThreshold: 1000 });
    const job = await client.createJob({
      vendor: "relay-mail",
      goal: "api_key",
      plan: "starter",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    const done = await until(client, job.id, ended, 120_000);
    expect(done.status).toBe("canceled");
    expect(done.spend).toMatchObject({ captured: 0, spent: 0, refunded: 0 });
    expect(await Actor.system("test", accountId, () => Ledger.forJob(job.id))).toEqual([]);
  }, 200_000);

  it("cancels during the browser step: card canceled, unspent money refunded, browser closed", async () => {
    const { client, accountId } = await newClient();
    const job = await client.createJob({
      vendor: "relay-mail",
      goal: "api_key",
      plan: "starter",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    await until(client, job.id, (j) => j.status === "provisioning", 120_000);
    await client.cancelJob(job.id);
    const events = await Actor.system("test", accountId, async () => {
      for (;;) {
        const all = await JobEvent.list({ jobId: job.id, limit: 1000 });
        if (all.some((e) => e.type === "money.compensated")) return all;
        await new Promise((r) => setTimeout(r, 300));
      }
    });
    const done = await client.getJob(job.id);
    expect(done.status).toBe("canceled");
    expect(done.spend.captured).toBe(2000);
    expect(done.spend.captured).toBe(done.spend.spent + done.spend.refunded);
    const cards = await Actor.system("test", accountId, () => Card.forJob({ jobId: job.id }));
    expect(cards.map((c) => c.status)).toEqual(["canceled"]);
    expect(events.map((e) => e.type)).toContain("refund.issued");
    await runtime.runner?.idle();
    expect(runtime.runner?.workers()).toEqual([]);
  }, 400_000);

  it("retries a killed worker once, then compensates when it dies again", async () => {
    const { client, accountId } = await newClient();
    const job = await client.createJob({
      vendor: "relay-mail",
      goal: "api_key",
      plan: "starter",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    const killed = new Set<number>();
    const deadline = Date.now() + 240_000;
    while (killed.size < 2 && Date.now() < deadline) {
      for (const pid of workerPids()) {
        if (!killed.has(pid)) {
          killed.add(pid);
          process.kill(pid, "SIGKILL");
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(killed.size).toBe(2);
    const done = await until(client, job.id, ended);
    expect(done.status).toBe("failed");
    expect(done.failure?.code).toBe("worker.crashed");
    expect(done.spend).toMatchObject({ captured: 2000, refunded: 2000 - done.spend.spent });
    const browserSteps = await Actor.system("test", accountId, () => StepRecord.list(job.id));
    expect(browserSteps.map((s) => s.step)).not.toContain("RunBrowserTask");
  }, 400_000);

  it("runs one execution when the same queue message is delivered twice", async () => {
    const { client, accountId } = await newClient();
    const job = await client.createJob({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    await JobQueue.use().send({ accountId, jobId: job.id });
    await JobQueue.use().send({ accountId, jobId: job.id });
    const done = await until(client, job.id, ended);
    expect(done.status).toBe("succeeded");
    await new Promise((r) => setTimeout(r, 2000));
    const planning = await Actor.system("test", accountId, async () =>
      (await JobEvent.list({ jobId: job.id, limit: 1000 })).filter(
        (e) => e.type === "job.status" && e.data.status === "planning",
      ),
    );
    expect(planning).toHaveLength(1);
    expect((await client.getJob(job.id)).credentialIds).toHaveLength(1);
  }, 400_000);
});
