import { randomBytes } from "node:crypto";
import { Account, Actor, Credential, Job, JobEvent } from "@fg/core";
import { LocalTasks, type TaskOutcome } from "@fg/core/orchestrator/index";
import { BrowserResult } from "@fg/core/workflow/index";
import { startCardNetwork, startSmtpInbox } from "@fg/local";
import { type RunningVendors, startVendors } from "@fg/vendors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descendants, eventually, spawnWorker, stillRunning, type WorkerProcess } from "./process.ts";

const RUN_TIMEOUT_MS = 420_000;

let vendors: RunningVendors;
const stops: (() => Promise<void>)[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  const smtp = await startSmtpInbox({ port: 0 });
  stops.push(() => smtp.stop());
  const network = await startCardNetwork({ port: 0 });
  stops.push(() => network.stop());
  vendors = await startVendors({
    smtpPort: smtp.port,
    cardNetworkUrl: network.url,
    admin: true,
    wobbly: { captchaRate: 0, errorRate: 0 },
  });
  stops.push(() => vendors.stop());
  process.env.FG_SMTP_PORT = String(smtp.port);
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

/** The environment the local runtime hands the worker: its own, the vendor URLs, and the task. */
function workerEnv(task: Partial<Record<"JOB_ID" | "ACCOUNT_ID" | "TASK_TOKEN", string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FG_ALLOW_LOOPBACK_VENDORS: "1",
    FG_HEARTBEAT_SECONDS: "1",
    FG_LOG_LEVEL: "DEBUG",
    ...task,
  };
  delete env.FG_LLM_PROVIDER;
  for (const [slug, { url }] of Object.entries(vendors.vendors)) {
    env[`FG_VENDOR_URL_${slug.toUpperCase().replace(/-/g, "_")}`] = url;
  }
  return env;
}

function start(task: Parameters<typeof workerEnv>[0]): WorkerProcess {
  const worker = spawnWorker(workerEnv(task));
  workers.push(worker);
  return worker;
}

/** A free nimbus-db job where the workflow leaves it before RunBrowserTask, and the token that state waits on. */
/** A job the workflow has planned; mid-run tests use wobbly-crm, whose slow pages keep the agent busy. */
async function plannedJob(
  vendor = "nimbus-db",
): Promise<{ accountId: string; jobId: string; token: string }> {
  const { account } = await Account.signup({ email: `owner-${randomBytes(6).toString("hex")}@example.com` });
  const accountId = account.id;
  const jobId = await Actor.system("test", accountId, async () => {
    const job = await Job.create({
      vendor,
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    await Job.transition({ id: job.id, to: "planning" });
    return job.id;
  });
  const token = await LocalTasks.mint({ accountId, jobId, state: "RunBrowserTask" });
  return { accountId, jobId, token };
}

const asAccount = <R>(accountId: string, cb: () => Promise<R>) => Actor.system("test", accountId, cb);

async function events(accountId: string, jobId: string) {
  return asAccount(accountId, () => JobEvent.list({ jobId, limit: 1000 }));
}

function expectNoneOf(secrets: string[], ...surfaces: string[]) {
  for (const secret of secrets.filter((s) => s.length >= 8)) {
    for (const surface of surfaces) expect(surface.includes(secret), "a secret value leaked").toBe(false);
  }
}

describe("browser worker process", () => {
  it(
    "provisions a free nimbus-db key and reports it through the task token",
    async () => {
      const { accountId, jobId, token } = await plannedJob();
      const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });

      const outcome = await LocalTasks.wait(token, { heartbeatSeconds: 120 });
      expect(outcome.status, worker.output()).toBe("succeeded");
      const result = BrowserResult.parse((outcome as Extract<TaskOutcome, { status: "succeeded" }>).output);
      expect(result).toMatchObject({ outcome: "succeeded", spent: 0, reason: null });
      expect(result.credentialIds).toHaveLength(1);
      expect(await worker.exited).toBe(0);

      const { value } = await asAccount(accountId, () =>
        Credential.reveal({ id: result.credentialIds[0] as string, reason: "worker test" }),
      );
      const admin = (await (await fetch(vendors.vendors["nimbus-db"].adminUrl as string)).json()) as {
        accounts: { email: string; password: string; keys: { value: string }[] }[];
      };
      const issued = admin.accounts.flatMap((a) => a.keys.map((k) => k.value));
      expect(issued).toContain(value);

      const job = await asAccount(accountId, () => Job.get({ id: jobId }));
      expect(job.status).toBe("provisioning");
      const log = await events(accountId, jobId);
      const types = log.map((e) => e.type);
      expect(types).toContain("step.started");
      expect(types).toContain("agent.finished");
      expect(log.at(-1)).toMatchObject({ type: "step.succeeded", data: { name: "provision" } });
      expect(worker.output()).toContain("heartbeat sent");

      const passwords = admin.accounts.map((a) => a.password);
      expectNoneOf([value, token, ...passwords], worker.output(), JSON.stringify(log));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "stops the agent and closes Chromium when the job is canceled mid-run",
    async () => {
      const { accountId, jobId, token } = await plannedJob("wobbly-crm");
      const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });
      const wait = LocalTasks.wait(token, { heartbeatSeconds: 120 });

      await eventually(async () => {
        const log = await events(accountId, jobId);
        return log.some((e) => e.type === "agent.primitive.started") ? true : undefined;
      }, "the agent to start working");
      const browsers = await eventually(() => {
        const found = descendants(worker.child.pid as number).filter((p) => /chrom/i.test(p.command));
        return found.length > 0 ? found.map((p) => p.pid) : undefined;
      }, "Chromium to run under the worker");

      await asAccount(accountId, () => Job.cancel({ id: jobId }));

      const outcome = await wait;
      expect(outcome, worker.output()).toMatchObject({ status: "failed", error: "Job.Canceled" });
      expect(await worker.exited).toBe(3);
      await eventually(
        () => (stillRunning(browsers).length === 0 ? true : undefined),
        "the worker's Chromium processes to end",
        30_000,
      );
      expect((await asAccount(accountId, () => Job.get({ id: jobId }))).status).toBe("canceled");
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "reports Worker.Crashed and closes Chromium when it is told to stop (ECS StopTask sends SIGTERM)",
    async () => {
      const { accountId, jobId, token } = await plannedJob("wobbly-crm");
      const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });
      const wait = LocalTasks.wait(token, { heartbeatSeconds: 120 });
      await eventually(async () => {
        const log = await events(accountId, jobId);
        return log.some((e) => e.type === "agent.primitive.started") ? true : undefined;
      }, "the agent to start working");
      const browsers = await eventually(() => {
        const found = descendants(worker.child.pid as number).filter((p) => /chrom/i.test(p.command));
        return found.length > 0 ? found.map((p) => p.pid) : undefined;
      }, "Chromium to run under the worker");

      worker.child.kill("SIGTERM");

      expect(await wait, worker.output()).toMatchObject({ status: "failed", error: "Worker.Crashed" });
      expect(await worker.exited).toBe(143);
      await eventually(
        () => (stillRunning(browsers).length === 0 ? true : undefined),
        "the worker's Chromium processes to end",
        30_000,
      );
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "treats a SIGTERM that lands while Chromium is still starting as a stop, not a crash of its own",
    async () => {
      const { accountId, jobId, token } = await plannedJob();
      const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });
      const wait = LocalTasks.wait(token, { heartbeatSeconds: 120 });
      const browsers = await eventually(() => {
        const found = descendants(worker.child.pid as number).filter((p) => /chrom/i.test(p.command));
        return found.length > 0 ? found.map((p) => p.pid) : undefined;
      }, "Chromium to start under the worker");

      worker.child.kill("SIGTERM");

      expect(await wait, worker.output()).toMatchObject({ status: "failed", error: "Worker.Crashed" });
      expect(await worker.exited).toBe(143);
      await eventually(
        () => (stillRunning(browsers).length === 0 ? true : undefined),
        "the worker's Chromium processes to end",
        30_000,
      );
    },
    RUN_TIMEOUT_MS,
  );

  it("reports Job.Canceled without opening a browser when the job was canceled before it started", async () => {
    const { accountId, jobId, token } = await plannedJob();
    await asAccount(accountId, () => Job.cancel({ id: jobId }));
    const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });

    expect(await LocalTasks.wait(token, {})).toMatchObject({ status: "failed", error: "Job.Canceled" });
    expect(await worker.exited).toBe(3);
    const types = (await events(accountId, jobId)).map((e) => e.type);
    expect(types).not.toContain("step.started");
  }, 120_000);

  it("does nothing and exits 4 when the workflow no longer waits for the task", async () => {
    const { accountId, jobId, token } = await plannedJob();
    await LocalTasks.abandon(token);
    const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: token });

    expect(await worker.exited).toBe(4);
    expect((await asAccount(accountId, () => Job.get({ id: jobId }))).status).toBe("planning");
  }, 120_000);

  it("refuses to start without its environment, in one line and a non-zero exit", async () => {
    const { accountId, jobId } = await plannedJob();
    const worker = start({ JOB_ID: jobId, ACCOUNT_ID: accountId, TASK_TOKEN: "" });

    expect(await worker.exited).toBe(2);
    expect(worker.output().trim()).toBe("browser worker: missing environment variable TASK_TOKEN");
  }, 120_000);

  it("names every malformed variable without echoing its value", async () => {
    const worker = start({ JOB_ID: "job_not-a-ulid", ACCOUNT_ID: "acct_secretish", TASK_TOKEN: "tt_x" });

    expect(await worker.exited).toBe(2);
    const lines = worker.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("JOB_ID");
    expect(lines[0]).toContain("ACCOUNT_ID");
    expect(lines[0]).not.toContain("secretish");
  }, 120_000);
});
