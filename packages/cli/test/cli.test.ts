import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Credential, Job, JobEvent } from "@fg/core";
import { type ApiServer, freePort, startApi } from "@fg/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAccount, fg, firstJob, newUser, run, signUp } from "./helpers.ts";

let api: ApiServer;

beforeAll(async () => {
  process.env.FG_SSE_POLL_MS = "50";
  api = await startApi({ port: await freePort() });
});

afterAll(async () => {
  await api?.stop();
});

describe("fg auth", () => {
  it("signs up, keeps the key in an owner-only config file without printing it, and reports status", async () => {
    const user = newUser();
    const { apiKey, accountId, signupOutput } = await signUp(api.url, user);
    expect(apiKey).toMatch(/^fg_sk_/);
    expect(statSync(user.configFile).mode & 0o777).toBe(0o600);
    expect(signupOutput.stdout + signupOutput.stderr).not.toContain(apiKey);
    expect(signupOutput.stdout).toContain(accountId);

    const status = await run(["auth", "status", "--json"], user.env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      apiUrl: api.url,
      apiKey: { source: "config", name: "default", scopes: ["admin"] },
      account: { id: accountId },
      valid: true,
    });
    expect(status.stdout).not.toContain(apiKey);
  });

  it("prefers FG_API_KEY over the config file and fails clearly when that key is wrong", async () => {
    const user = newUser();
    await signUp(api.url, user);
    const status = await run(["auth", "status"], { ...user.env, FG_API_KEY: `fg_sk_${"x".repeat(43)}` });
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("Unauthorized");
    expect(status.stderr).toContain("not valid or was revoked");
  });

  it("logs in with a key read from stdin", async () => {
    const owner = newUser();
    const { apiKey } = await signUp(api.url, owner);
    const user = newUser();
    const login = fg(["auth", "login", "--api-url", api.url], user.env, { stdin: "pipe" });
    login.child.stdin?.end(`${apiKey}\n`);
    const result = await login.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(apiKey);
    expect(JSON.parse(readFileSync(user.configFile, "utf8"))).toMatchObject({ apiKey, apiUrl: api.url });
  });
});

describe("fg provision", () => {
  it("follows a free job's events until it succeeds and lists the credential without its value", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const secret = `nmb_${randomUUID().replaceAll("-", "")}`;
    const provision = fg(["provision", "nimbus-db", "--goal", "api-key"], user.env);
    const jobId = await firstJob(accountId);
    const credential = await asAccount(accountId, async () => {
      await Job.transition({ id: jobId, to: "planning" });
      await Job.transition({ id: jobId, to: "provisioning" });
      const stored = await Credential.store({
        jobId,
        vendor: "nimbus-db",
        kind: "api_key",
        label: "Nimbus DB API key",
        value: secret,
      });
      await JobEvent.append({
        jobId,
        type: "credential.stored",
        data: { credentialId: stored.id, label: stored.label },
      });
      await Job.transition({ id: jobId, to: "settling" });
      await Job.transition({ id: jobId, to: "succeeded" });
      return stored;
    });
    const result = await provision.done;
    expect(result.code).toBe(0);
    const progress = result.stderr.split("\n");
    const order = [
      "Queued",
      "Planning",
      "Provisioning at the vendor",
      "credential stored",
      "Settling",
      "Succeeded",
    ].map((text) => progress.findIndex((line) => line.includes(text)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(result.stdout).toContain(`job ${jobId}`);
    expect(result.stdout).toContain(credential.id);
    expect(result.stdout).toContain(`fg credentials get ${credential.id} --env-file .env`);
    expect(result.stdout + result.stderr).not.toContain(secret);
    const [job] = (await asAccount(accountId, () => Job.list({}))).data;
    expect(job).toMatchObject({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
  });

  it("sends --max-spend in cents and exits non-zero with the failure's title and detail", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const provision = fg(
      ["provision", "relay-mail", "--goal", "subscription", "--plan", "starter", "--max-spend", "20"],
      user.env,
    );
    const jobId = await firstJob(accountId);
    const job = await asAccount(accountId, () => Job.get({ id: jobId }));
    expect(job).toMatchObject({
      plan: "starter",
      goal: "subscription",
      maxSpend: { amount: 2000, currency: "usd" },
    });
    await asAccount(accountId, async () => {
      await Job.transition({ id: jobId, to: "planning" });
      await Job.transition({
        id: jobId,
        to: "failed",
        failure: { code: "vendor.checkout_declined", message: "The vendor declined the card" },
      });
    });
    const result = await provision.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: Job failed");
    expect(result.stderr).toContain("The vendor declined the card (vendor.checkout_declined)");
  });

  it("exits non-zero when the job is canceled from another terminal", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const provision = fg(["provision", "nimbus-db", "--json"], user.env);
    const jobId = await firstJob(accountId);
    const cancel = await run(["jobs", "cancel", jobId], user.env);
    expect(cancel.code).toBe(0);
    const result = await provision.done;
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      job: { id: jobId, status: "canceled" },
      error: { title: "Job canceled" },
    });
  });

  it("returns at once with --no-wait, and jobs list/status show the job", async () => {
    const user = newUser();
    await signUp(api.url, user);
    const started = await run(["provision", "nimbus-db", "--no-wait", "--json"], user.env);
    expect(started.code).toBe(0);
    const { job } = JSON.parse(started.stdout);
    expect(job.status).toBe("queued");
    const list = await run(["jobs", "list", "--json"], user.env);
    expect(JSON.parse(list.stdout).data.map((j: { id: string }) => j.id)).toEqual([job.id]);
    const status = await run(["jobs", "status", job.id], user.env);
    expect(status.stdout).toContain(`Job        ${job.id}`);
    expect(status.stdout).toContain("Status     queued");
  });

  it("rejects a malformed amount before calling the API, and shows API problems as JSON with --json", async () => {
    const user = newUser();
    await signUp(api.url, user);
    const bad = await run(["provision", "nimbus-db", "--max-spend", "12.345"], user.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-spend must be a number of dollars");
    const missing = await run(["jobs", "status", "job_01JD2V6ZQ4T3N8K5W7Y9B1C3EF", "--json"], user.env);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ status: 404, title: "Not Found" });
  });
});

describe("fg credentials", () => {
  async function givenCredential(accountId: string, value: string) {
    return asAccount(accountId, async () => {
      const job = await Job.create({
        vendor: "nimbus-db",
        goal: "api_key",
        maxSpend: { amount: 0, currency: "usd" },
      });
      return Credential.store({ jobId: job.id, vendor: "nimbus-db", kind: "api_key", label: "key", value });
    });
  }

  it("updates one variable in an existing env file, keeping the other lines, and never prints the value", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const secret = `nmb_${randomUUID().replaceAll("-", "")}`;
    const credential = await givenCredential(accountId, secret);
    const dir = mkdtempSync(path.join(tmpdir(), "fg-project-"));
    const envFile = path.join(dir, ".env");
    writeFileSync(envFile, "# app settings\nPORT=3000\nNIMBUS_KEY=old-value\nDEBUG='true'\n", {
      mode: 0o640,
    });
    const result = await run(
      ["credentials", "get", credential.id, "--env-file", envFile, "--var", "NIMBUS_KEY"],
      user.env,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(envFile, "utf8")).toBe(
      `# app settings\nPORT=3000\nNIMBUS_KEY=${secret}\nDEBUG='true'\n`,
    );
    expect(statSync(envFile).mode & 0o777).toBe(0o640);
    expect(result.stdout).toContain("set NIMBUS_KEY (value not shown)");
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("creates a new env file owner-only with a default variable name, quoting the value", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const secret = `pass word$with'quote`;
    const credential = await givenCredential(accountId, secret);
    const envFile = path.join(mkdtempSync(path.join(tmpdir(), "fg-project-")), ".env");
    const result = await run(
      ["credentials", "get", credential.id, "--env-file", envFile, "--json"],
      user.env,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      id: credential.id,
      variable: "NIMBUS_DB_API_KEY",
      file: envFile,
      created: true,
    });
    expect(readFileSync(envFile, "utf8")).toBe(`NIMBUS_DB_API_KEY="pass word\\$with'quote"\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("prints the value only with --reveal, and deletes with --yes", async () => {
    const user = newUser();
    const { accountId } = await signUp(api.url, user);
    const secret = `nmb_${randomUUID().replaceAll("-", "")}`;
    const credential = await givenCredential(accountId, secret);
    const plain = await run(["credentials", "get", credential.id], user.env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(credential.id);
    expect(plain.stdout + plain.stderr).not.toContain(secret);
    const listed = await run(["credentials", "list"], user.env);
    expect(listed.stdout).toContain(credential.id);
    expect(listed.stdout).not.toContain(secret);
    const revealed = await run(["credentials", "get", credential.id, "--reveal"], user.env);
    expect(revealed.stdout).toBe(`${secret}\n`);
    const refused = await run(["credentials", "delete", credential.id], user.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Pass --yes");
    const deleted = await run(["credentials", "delete", credential.id, "--yes"], user.env);
    expect(deleted.code).toBe(0);
    const gone = await run(["credentials", "get", credential.id], user.env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("Not Found");
  });
});

describe("account commands", () => {
  it("sets and reads the policy in dollars, lists vendors, adds a sandbox card and verifies the ledger", async () => {
    const user = newUser();
    await signUp(api.url, user);
    const set = await run(
      ["policy", "set", "--per-job-cap", "50", "--allow-vendors", "nimbus-db,relay-mail", "--json"],
      user.env,
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      perJobCap: 5000,
      vendorAllowlist: ["nimbus-db", "relay-mail"],
    });
    const get = await run(["policy", "get"], user.env);
    expect(get.stdout).toContain("Per-job cap         $50.00");
    const vendors = await run(["vendors"], user.env);
    expect(vendors.stdout).toContain("relay-mail");
    expect(vendors.stdout).toContain("starter $15.00/month");
    const card = await run(["cards", "add", "--payment-method", "pm_card_visa", "--json"], user.env);
    expect(card.code).toBe(0);
    expect(JSON.parse(card.stdout)).toMatchObject({ status: expect.any(String) });
    const ledger = await run(["ledger", "--verify", "--json"], user.env);
    expect(ledger.code).toBe(0);
    expect(JSON.parse(ledger.stdout)).toMatchObject({ valid: true });
  });
});
