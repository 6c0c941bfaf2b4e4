import { configPath, readConfig, writeConfig } from "@fg/cli/config";
import { Account, ApiKey } from "@fg/core";
import { startLocalRuntime, stopOnSignals } from "@fg/local";
import { table } from "./progress.ts";

// The local stack in the foreground, for the fg CLI and for poking at by hand. Ctrl-C stops everything.
const runtime = await startLocalRuntime({
  storage: "persistent",
  ports: "fixed",
  log: (line) => process.stderr.write(`fg dev: ${line}\n`),
});
stopOnSignals(runtime, (signal) => process.stderr.write(`\nfg dev: ${signal} received, stopping…\n`));

/** Reuses the configured demo account while its key still works (data persists), else signs up a new one. */
async function ensureDemoAccount(): Promise<string> {
  const existing = readConfig();
  if (
    existing.apiKey &&
    existing.apiUrl === runtime.apiUrl &&
    (await ApiKey.verify({ secret: existing.apiKey }))
  ) {
    return existing.email ?? "existing account";
  }
  const email = `dev-${Date.now()}@fg.test`;
  const { account, apiKey } = await Account.signup({ email });
  writeConfig({ apiUrl: runtime.apiUrl, apiKey: apiKey.secret, accountId: account.id, email });
  return email;
}

const email = await ensureDemoAccount();
process.stdout.write(
  `\nfg local runtime is up (data in ${runtime.home}):\n\n${table(
    runtime.services.map((s) => ({ service: s.name, url: s.url, detail: s.detail ?? "" })),
  )}\n\nCLI configured for ${email} in ${configPath()}: try \`npx fg-cli provision nimbus-db\`.\nCtrl-C to stop.\n`,
);
