/**
 * npm run bench:agent — for each demo vendor, the median over RUNS runs of the agent (deterministic
 * planner) against a hand-written Playwright script doing the same flow (bench/oracle), printed as
 * `agent_vs_script <vendor> <ratio>`; plus snapshot size vs raw HTML per page type and LLM calls per job.
 * Everything runs on loopback: DynamoDB Local, the SMTP inbox, the card network, the vendors, Chromium.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deterministicPlanner, launchBrowser, newJobContext, runAgent } from "@fg/agent";
import { Account, Actor, Job, Money, PaymentRail, Store } from "@fg/core";
import { Email } from "@fg/core/email/index";
import { Vault } from "@fg/core/vault/index";
import { ensureTable, startDynamoLocal } from "@fg/local";
import { startCardNetwork } from "@fg/local/card-network/index";
import { startSmtpInbox } from "@fg/local/smtp/index";
import { startVendors, VENDOR_SLUGS, type VendorSlug } from "@fg/vendors";
import { type OracleContext, oracles } from "./oracle/index.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const VENDORS = process.env.BENCH_VENDORS
  ? VENDOR_SLUGS.filter((v) => process.env.BENCH_VENDORS?.split(",").includes(v))
  : VENDOR_SLUGS;

process.env.FG_HOME ??= mkdtempSync(path.join(tmpdir(), "fg-bench-"));
process.env.FG_ALLOW_LOOPBACK_VENDORS = "1";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main() {
  const dynamo = await startDynamoLocal();
  const table = `fg-bench-${randomBytes(4).toString("hex")}`;
  await ensureTable(dynamo.endpoint, table);
  process.env.FG_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.FG_TABLE = table;
  Store.configure({ table, endpoint: dynamo.endpoint, region: "us-east-1" });
  const smtp = await startSmtpInbox({ port: 0 });
  const network = await startCardNetwork({ port: 0 });
  const running = await startVendors({
    smtpPort: smtp.port,
    cardNetworkUrl: network.url,
    admin: true,
    wobbly: { captchaRate: 0, errorRate: 0.3, seed: 11 },
  });
  const browser = await launchBrowser();
  const pageStats = new Map<string, { snapshot: number[]; html: number[] }>();
  const llmCalls: number[] = [];
  try {
    for (const vendor of VENDORS) {
      const agentTimes: number[] = [];
      const scriptTimes: number[] = [];
      // A fresh fg account per run: the agent signs up like the script does, instead of reusing a session.
      for (let i = 0; i < RUNS; i++) {
        await Actor.system("bench", await freshAccount(), async () => {
          const job = await prepareJob(vendor);
          const started = performance.now();
          const result = await runAgent({
            jobId: job.id,
            vendor,
            vendorUrl: running.vendors[vendor].url,
            goal: "api_key",
            ...(job.plan ? { plan: job.plan } : {}),
            maxSpend: job.maxSpend.amount,
            planner: deterministicPlanner(),
            browser,
            measureHtml: true,
            ...(process.env.BENCH_DEBUG
              ? {
                  emit: (e) =>
                    console.error(
                      JSON.stringify([
                        Math.round(performance.now() - started),
                        e.type,
                        e.data.primitive ?? e.data.tool ?? e.data.type,
                        e.data.status ?? e.data.result ?? "",
                        e.data.target ?? "",
                        e.data.reason ?? "",
                      ]),
                    ),
                }
              : {}),
          });
          if (result.outcome !== "succeeded")
            throw new Error(`agent run on ${vendor} ended ${result.outcome}: ${result.reason}`);
          agentTimes.push(performance.now() - started);
          llmCalls.push(result.stats.llmCalls);
          for (const p of result.stats.pages) {
            const entry = pageStats.get(p.type) ?? { snapshot: [], html: [] };
            entry.snapshot.push(p.snapshotChars);
            entry.html.push(p.htmlChars);
            pageStats.set(p.type, entry);
          }

          const oracleJob = await prepareJob(vendor);
          const ctx = await oracleContext(oracleJob, running.vendors[vendor].url);
          const { context } = await newJobContext(browser, { allowLoopback: true });
          const page = await context.newPage();
          const t0 = performance.now();
          try {
            const key = await (oracles[vendor] as (typeof oracles)[string])(page, ctx);
            if (!key) throw new Error(`oracle for ${vendor} read no key`);
          } finally {
            scriptTimes.push(performance.now() - t0);
            await context.close();
          }
        });
      }
      const ratio = median(agentTimes) / median(scriptTimes);
      console.log(
        `agent_vs_script ${vendor} ${ratio.toFixed(2)}  (agent median ${Math.round(median(agentTimes))} ms, script median ${Math.round(median(scriptTimes))} ms)`,
      );
    }
    for (const [type, s] of [...pageStats.entries()].sort()) {
      console.log(
        `snapshot_vs_html ${type} ${Math.round(median(s.snapshot))} ${Math.round(median(s.html))} ${(median(s.snapshot) / median(s.html)).toFixed(3)}`,
      );
    }
    console.log(`llm_calls_per_job deterministic ${median(llmCalls)}`);
  } finally {
    await browser.close().catch(() => undefined);
    await running.stop();
    await network.stop();
    await smtp.stop();
    await dynamo.stop();
  }
}

async function freshAccount(): Promise<string> {
  const { account } = await Account.signup({ email: `bench-${randomBytes(6).toString("hex")}@example.com` });
  await Actor.system("bench", account.id, () => PaymentRail.addCard({ paymentMethod: "pm_card_visa" }));
  return account.id;
}

async function prepareJob(vendor: VendorSlug): Promise<Job.Info> {
  const paid = vendor === "relay-mail";
  const job = await Job.create({
    vendor,
    goal: "api_key",
    ...(paid ? { plan: "starter" } : {}),
    maxSpend: { amount: paid ? 2000 : 0, currency: "usd" },
  });
  if (!paid) return job;
  for (const to of ["planning", "charging"] as const) await Job.transition({ id: job.id, to });
  await Money.chargeForJob({ jobId: job.id });
  await Job.transition({ id: job.id, to: "issuing_card" });
  await Money.issueCardForJob({ jobId: job.id });
  await Job.transition({ id: job.id, to: "provisioning" });
  return job;
}

async function oracleContext(job: Job.Info, url: string): Promise<OracleContext> {
  const { address } = await Email.use().createInbox(job.id);
  const [card] = await Vault.use().list({ kind: "card", jobId: job.id });
  const details = card ? JSON.parse(await Vault.use().get(card.ref, { reason: "bench oracle" })) : undefined;
  return {
    url,
    email: address,
    password: `${randomBytes(12).toString("base64url")}a9!`,
    ...(details ? { card: details } : {}),
    async verification(kind) {
      const message = await Email.use().waitFor(address, { timeoutMs: 60_000 });
      const value =
        kind === "code"
          ? Email.extractCode(message)
          : Email.extractLink(message, { vendorHost: new URL(url).hostname });
      if (!value) throw new Error(`no ${kind} in the mail`);
      return value;
    },
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
