import { startLocalRuntime, stopOnSignals } from "@fg/local";
import { table } from "./progress.ts";

// The local stack in the foreground, for the fg CLI and for poking at by hand. Ctrl-C stops everything.
process.env.FG_ALLOW_LOOPBACK_VENDORS = "1";

const runtime = await startLocalRuntime({
  storage: "persistent",
  log: (line) => process.stderr.write(`fg dev: ${line}\n`),
});
stopOnSignals(runtime, (signal) => process.stderr.write(`\nfg dev: ${signal} received, stopping…\n`));

process.stdout.write(
  `\nfg local runtime is up (data in ${runtime.home}):\n\n${table(
    runtime.services.map((s) => ({ service: s.name, url: s.url, detail: s.detail ?? "" })),
  )}\n\nCtrl-C to stop.\n`,
);
