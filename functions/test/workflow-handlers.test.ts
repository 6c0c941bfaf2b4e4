import { randomBytes } from "node:crypto";
import { Account, Actor, CardNetwork, Job, Ledger, PaymentRail, Policy, Secrets, Vault } from "@fg/core";
import { LocalTasks } from "@fg/core/orchestrator/index";
import { StepError, Workflow } from "@fg/core/workflow/index";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler as charge } from "../src/workflow/charge.ts";
import { handler as checkPolicy } from "../src/workflow/check-policy.ts";
import { handler as compensate } from "../src/workflow/compensate.ts";
import { handler as issueCard } from "../src/workflow/issue-card.ts";
import { handler as markFailed } from "../src/workflow/mark-failed.ts";
import { handler as notify } from "../src/workflow/notify.ts";
import { handler as plan } from "../src/workflow/plan.ts";
import { handler as requestApproval } from "../src/workflow/request-approval.ts";
import { handler as settle } from "../src/workflow/settle.ts";
import { workflowHandler } from "../src/workflow/step.ts";

const admin = <R>(accountId: string, cb: () => R): R =>
  Actor.provide({ type: "account", properties: { accountId, scopes: ["admin"] } }, cb);
const system = <R>(accountId: string, cb: () => R): R => Actor.system("test", accountId, cb);

async function accountWithCard(): Promise<string> {
  const { account } = await Account.signup({ email: `wf-${randomBytes(6).toString("hex")}@example.com` });
  await admin(account.id, () => PaymentRail.addCard({ paymentMethod: "pm_card_visa" }));
  return account.id;
}

async function queuedJob(accountId: string, maxSpend: number, vendor = "relay-mail") {
  const job = await admin(accountId, () =>
    Job.create({ vendor, goal: "api_key", maxSpend: { amount: maxSpend, currency: "usd" } }),
  );
  return { jobId: job.id, accountId };
}

/** What the browser worker and the vendor's checkout do between IssueCard and Settle. */
async function vendorCharges(ref: { jobId: string; accountId: string }, vaultRef: string, amount: number) {
  await Workflow.startProvisioning(ref);
  const card = await system(ref.accountId, async () =>
    JSON.parse(await Vault.use().get(vaultRef, { reason: "test checkout" })),
  );
  const auth = await CardNetwork.authorize({
    card,
    merchant: { name: "RELAYMAIL* STARTER PLAN" },
    amount,
    currency: "usd",
  });
  expect(auth.approved).toBe(true);
  await CardNetwork.capture({ authorizationId: auth.authorizationId as string, amount });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("workflow step handlers", () => {
  it("runs a paid job from plan to settle and refunds the unspent difference", async () => {
    const accountId = await accountWithCard();
    const ref = await queuedJob(accountId, 2000);

    expect(await plan(ref)).toMatchObject({ free: false, vendor: "relay-mail" });
    expect(await checkPolicy(ref)).toMatchObject({ needsApproval: false });
    expect(await charge(ref)).toMatchObject({ status: "charged", amount: 2000 });
    const issued = await issueCard(ref);
    expect(issued).toMatchObject({ status: "issued", limit: 2000 });

    await vendorCharges(ref, issued.vaultRef as string, 1500);
    const settled = await settle({
      ...ref,
      browser: { outcome: "succeeded", credentialIds: [], spent: 1500, reason: null },
    });
    expect(settled).toEqual({ outcome: "succeeded", refunded: 500 });
    expect(await notify(ref)).toEqual({ notified: true });

    await system(accountId, async () => {
      const job = await Job.get({ id: ref.jobId });
      expect(job.status).toBe("succeeded");
      expect(job.spend).toMatchObject({ captured: 2000, spent: 1500, refunded: 500 });
      const reconciled = await Ledger.reconcile({ jobId: ref.jobId });
      expect(reconciled.refunded).toBe(reconciled.captured - reconciled.spent);
      expect(reconciled).toMatchObject({ balanced: true, matchesJob: true });
      expect((await Ledger.verify()).valid).toBe(true);
    });
  });

  it("returns the recorded result when Step Functions retries a money step, charging once", async () => {
    const accountId = await accountWithCard();
    const ref = await queuedJob(accountId, 1200);
    await plan(ref);
    await checkPolicy(ref);
    const first = await charge(ref);
    const again = await charge(ref);
    expect(again).toEqual(first);
    await system(accountId, async () => {
      expect((await Ledger.reconcile({ jobId: ref.jobId })).captured).toBe(1200);
    });
  });

  it("returns plain JSON, as Lambda would serialize it", async () => {
    const accountId = await accountWithCard();
    const ref = await queuedJob(accountId, 0, "nimbus-db");
    const planned = await plan(ref);
    expect(planned).toEqual(JSON.parse(JSON.stringify(planned)));
    expect(planned).toMatchObject({ free: true });
  });

  it("throws Job.Canceled from charge when the user canceled the job", async () => {
    const accountId = await accountWithCard();
    const ref = await queuedJob(accountId, 2000);
    await plan(ref);
    await checkPolicy(ref);
    await admin(accountId, () => Job.cancel({ id: ref.jobId }));

    const error = await charge(ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("Job.Canceled");

    const compensated = await compensate({
      ...ref,
      error: { Error: "Job.Canceled", Cause: JSON.stringify({ errorMessage: (error as Error).message }) },
      outcome: "canceled",
    });
    expect(compensated).toMatchObject({ refunded: 0, reason: "Canceled by the user" });
    await system(accountId, async () => {
      const job = await Job.get({ id: ref.jobId });
      expect(job.status).toBe("canceled");
      expect(job.spend.captured).toBe(0);
    });
  });

  it("throws Policy.Denied for a job above the per-job cap, and the failure path refunds and records it", async () => {
    const accountId = await accountWithCard();
    await admin(accountId, () => Policy.put({ perJobCap: 1000 }));
    const ref = await queuedJob(accountId, 2000);
    await plan(ref);
    const error = (await checkPolicy(ref).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("Policy.Denied");

    const stateError = { Error: error.name, Cause: JSON.stringify({ errorMessage: error.message }) };
    await compensate({ ...ref, error: stateError, outcome: "failed" });
    expect(await markFailed({ ...ref, error: stateError })).toEqual({ status: "failed" });
    await system(accountId, async () => {
      const job = await Job.get({ id: ref.jobId });
      expect(job.status).toBe("failed");
      expect(job.failure?.code).toBe("policy.denied");
    });
  });

  it("parks a job above the approval threshold on the task token WaitForApproval passes", async () => {
    const accountId = await accountWithCard();
    const ref = await queuedJob(accountId, 6000);
    await plan(ref);
    expect(await checkPolicy(ref)).toMatchObject({ needsApproval: true });

    const taskToken = await LocalTasks.mint({ ...ref, state: "WaitForApproval" });
    expect(await requestApproval({ ...ref, taskToken })).toEqual({ waiting: true });
    await system(accountId, async () => {
      expect((await Job.get({ id: ref.jobId })).status).toBe("awaiting_approval");
    });

    await admin(accountId, () => Job.approve({ id: ref.jobId }));
    expect(await LocalTasks.wait(taskToken, { timeoutSeconds: 30 })).toMatchObject({ status: "succeeded" });
  });

  it("rethrows a step error under its own name with secrets redacted from message and stack", async () => {
    const secret = `sk_live_${randomBytes(12).toString("hex")}`;
    Secrets.register("API_KEY", secret);
    const output: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
      });
    }
    const failing = workflowHandler(async (_: { jobId: string }) => {
      throw new StepError("Agent.Failed", `the vendor rejected key ${secret}`);
    });

    const error = (await failing({ jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA" }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.name).toBe("Agent.Failed");
    expect(error.message).toContain("the vendor rejected key");
    expect(`${error.message}\n${error.stack}`).not.toContain(secret);
    const printed = output.join("");
    expect(printed).toContain("job_01JAAAAAAAAAAAAAAAAAAAAAAA");
    expect(printed).not.toContain(secret);
  });
});
