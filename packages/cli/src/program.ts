import { Command } from "commander";
import { registerAccount } from "./commands/account.ts";
import { registerAuth } from "./commands/auth.ts";
import { registerCredentials } from "./commands/credentials.ts";
import { registerJobs } from "./commands/jobs.ts";
import { registerMcp } from "./commands/mcp.ts";
import { registerProvision } from "./commands/provision.ts";
import { createContext } from "./context.ts";
import type { Io } from "./output.ts";

export const VERSION = "0.1.0";

export function createProgram(io: Io): Command {
  const ctx = createContext(io);
  const program = new Command("fg")
    .description(
      "Provision SaaS accounts and API keys with a spending limit.\n" +
        "Config: $XDG_CONFIG_HOME/fg/config.json; FG_API_URL and FG_API_KEY override it.",
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError("(run with --help for usage)");
  registerAuth(program, ctx);
  registerProvision(program, ctx);
  registerJobs(program, ctx);
  registerCredentials(program, ctx);
  registerAccount(program, ctx);
  registerMcp(program, ctx);
  return program;
}
