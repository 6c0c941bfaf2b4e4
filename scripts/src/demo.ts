import { FgClient } from "@fg/cli/client";
import { followJob } from "@fg/cli/events";
import { describeEvent } from "@fg/cli/output";
import { JavaMissingError, type LocalRuntime, startLocalRuntime, stopOnSignals } from "@fg/local";
import { createProgress, table } from "./progress.ts";

// The main job, end to end on loopback and through the public API, exactly as `fg provision` drives it.
const json = process.argv.includes("--json");
const keep = process.argv.includes("--keep");
const progress = createProgress({ quiet: json });
// Workers log structured JSON for operators; the demo shows job events instead, so only warnings get through.
process.env.FG_LOG_LEVEL ??= "WARN";

interface DemoJob {
  vendor: string;
  goal: "api_key";
  plan?: string;
  maxSpend: number;
  /** Outcomes that count as the job ending as expected. */
  expected: string[];
}

const demoJobs: DemoJob[] = [
  { vendor: "nimbus-db", goal: "api_key", maxSpend: 0, expected: ["succeeded"] },
  { vendor: "relay-mail", goal: "api_key", plan: "starter", maxSpend: 2000, expected: ["succeeded"] },
  { vendor: "pixel-cdn", goal: "api_key", maxSpend: 0, expected: ["succeeded"] },
  // Its CAPTCHA, when it fires, needs a human: that is the expected outcome, with nothing kept.
  { vendor: "wobbly-crm", goal: "api_key", maxSpend: 0, expected: ["succeeded", "needs_human"] },
];

interface Row {
  vendor: string;
  status: string;
  seconds: number;
  captured: number;
  spent: number;
  refunded: number;
  credentialId: string | null;
  expected: boolean;
}

async function provision(client: FgClient, demo: DemoJob): Promise<Row> {
  const started = Date.now();
  const created = await client.createJob({
    vendor: demo.vendor,
    goal: demo.goal,
    ...(demo.plan ? { plan: demo.plan } : {}),
    maxSpend: { amount: demo.maxSpend, currency: "usd" },
  });
  progress.step(`${demo.vendor}: job ${created.id} queued (max spend $${(demo.maxSpend / 100).toFixed(2)})`);
  const job = await followJob(client, created.id, {
    onEvent: (event) => progress.detail(`${demo.vendor.padEnd(10)} ${describeEvent(event)}`),
    onReconnect: ({ lastSeq }) =>
      progress.detail(`${demo.vendor.padEnd(10)} (event stream resumed after #${lastSeq})`),
  });
  return {
    vendor: demo.vendor,
    status: job.status,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    captured: job.spend.captured,
    spent: job.spend.spent,
    refunded: job.spend.refunded,
    credentialId: job.credentialIds[0] ?? null,
    expected:
      demo.expected.includes(job.status) && job.spend.captured === job.spend.spent + job.spend.refunded,
  };
}

async function main(runtime: LocalRuntime): Promise<boolean> {
  const client = new FgClient({ apiUrl: runtime.apiUrl });
  progress.step("signing up a demo account through the API");
  const signup = await client.signup(`demo-${Date.now()}@fg.test`);
  const api = new FgClient({ apiUrl: runtime.apiUrl, apiKey: signup.apiKey.secret });
  await api.addCard("pm_card_visa");
  progress.detail(`account ${signup.account.id}; sandbox card on file (pm_card_visa)`);

  progress.step(`provisioning ${demoJobs.map((j) => j.vendor).join(", ")}`);
  const rows = await Promise.all(demoJobs.map((demo) => provision(api, demo)));
  const ledger = await api.verifyLedger();

  if (json) {
    const jobs = rows.map(({ expected: _expected, ...row }) => row);
    process.stdout.write(`${JSON.stringify({ jobs, ledgerValid: ledger.valid })}\n`);
  } else {
    const shown = rows.map((r) => ({
      vendor: r.vendor,
      outcome: r.status,
      seconds: r.seconds,
      captured: r.captured,
      spent: r.spent,
      refunded: r.refunded,
      credential: r.credentialId,
    }));
    process.stdout.write(
      `\n${table(shown)}\n\nledger: ${ledger.valid ? "valid" : "BROKEN"} (${ledger.entries} entries)\n`,
    );
    if (keep) {
      process.stdout.write(
        `\nThe stack keeps running (--keep). Try: FG_API_URL=${runtime.apiUrl} FG_API_KEY=<key> npx fg-cli jobs list\nCtrl-C to stop.\n`,
      );
    }
  }
  return ledger.valid && rows.every((r) => r.expected);
}

async function run() {
  progress.step("starting the local runtime");
  const runtime = await startLocalRuntime({ storage: "memory", table: "fg-demo", log: progress.detail });
  stopOnSignals(runtime);
  let ok = false;
  try {
    ok = await main(runtime);
  } finally {
    if (!keep) await runtime.stop();
  }
  if (!keep) process.exit(ok ? 0 : 1);
  if (!ok) process.stderr.write("demo: some jobs did not end as expected (see above)\n");
}

run().catch((error: unknown) => {
  const message =
    error instanceof JavaMissingError ? error.message : `demo failed: ${(error as Error).stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
