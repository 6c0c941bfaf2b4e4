import { Account, Actor, Job, JobEvent, Ledger, Policy } from "@fg/core";
import { JavaMissingError, startLocalRuntime } from "@fg/local";
import { createProgress, table } from "./progress.ts";

// The main job, end to end on loopback, as far as the pipeline exists: see README "How it works".
const json = process.argv.includes("--json");
const progress = createProgress({ quiet: json });
process.env.FG_ALLOW_LOOPBACK_VENDORS = "1";

async function main() {
  progress.step("starting the local runtime");
  const runtime = await startLocalRuntime({ storage: "memory", table: "fg-demo", log: progress.detail });
  const stopAndExit = (code: number) => void runtime.stop().finally(() => process.exit(code));
  process.once("SIGINT", () => stopAndExit(130));
  process.once("SIGTERM", () => stopAndExit(143));
  try {
    progress.step("signing up a demo account");
    const { account, apiKey } = await Account.signup({ email: `demo-${Date.now()}@fg.test` });
    progress.detail(`account ${account.id}, API key ${apiKey.prefix}…`);

    const jobs = await Actor.system("demo", account.id, async () => {
      const policy = await Policy.get({});
      progress.detail(
        `policy: per-job cap ${policy.perJobCap} cents, approval above ${policy.approvalThreshold}`,
      );
      progress.step("creating a provisioning job for nimbus-db (free plan)");
      const job = await Job.create({
        vendor: "nimbus-db",
        goal: "api_key",
        maxSpend: { amount: 0, currency: "usd" },
      });
      const events = await JobEvent.list({ jobId: job.id });
      for (const e of events) progress.detail(`#${e.seq} ${e.type} ${JSON.stringify(e.data)}`);
      return [{ vendor: job.vendor, status: job.status, events: events.length, jobId: job.id }];
    });

    const ledger = await Actor.system("demo", account.id, () => Ledger.verify());
    const summary = {
      dynamoStartupMs: runtime.dynamo.startupMs,
      account: account.id,
      jobs,
      ledgerValid: ledger.valid,
      ledgerEntries: ledger.entries,
      pipeline: "foundation: jobs are stored and queued; the provisioning pipeline lands with later issues",
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stdout.write(
        `\n${table(jobs)}\n\nledger: ${ledger.valid ? "valid" : "BROKEN"} (${ledger.entries} entries)\n`,
      );
      process.stdout.write(`DynamoDB Local answered in ${runtime.dynamo.startupMs} ms\n`);
    }
  } finally {
    await runtime.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message =
      error instanceof JavaMissingError ? error.message : `demo failed: ${(error as Error).stack ?? error}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
