import { type Command, Option } from "commander";
import { FgClient } from "./client.ts";
import { type ResolvedConfig, resolveConfig } from "./config.ts";
import { ApiError, CliError } from "./errors.ts";
import { type Io, printJson } from "./output.ts";

export interface Context {
  io: Io;
  config(): ResolvedConfig;
  client(overrides?: { apiUrl?: string; apiKey?: string }): FgClient;
}

export function createContext(io: Io): Context {
  let resolved: ResolvedConfig | undefined;
  const config = () => {
    resolved ??= resolveConfig(io.env);
    return resolved;
  };
  return {
    io,
    config,
    client(overrides = {}) {
      const { apiUrl, apiKey } = config();
      return new FgClient({ apiUrl: overrides.apiUrl ?? apiUrl, apiKey: overrides.apiKey ?? apiKey });
    },
  };
}

export interface JsonOption {
  json?: boolean;
}

/** Every command takes --json: one JSON document on stdout, errors included (as `{ "error": … }`). */
export function jsonOption(command: Command): Command {
  return command.addOption(new Option("--json", "print one JSON document on stdout instead of text"));
}

/**
 * Runs a command's body: failures print their title and detail (or a JSON error) and set the exit code;
 * nothing here ever prints a secret, because errors are built from problem+json and our own messages.
 */
export function action<A extends unknown[]>(
  ctx: Context,
  body: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const json = Boolean((command.opts() as JsonOption).json);
    try {
      const code = await body(...args);
      process.exitCode = typeof code === "number" ? code : 0;
    } catch (error) {
      process.exitCode = reportError(ctx.io, error, json);
    }
  };
}

export function reportError(io: Io, error: unknown, json: boolean): number {
  const known = error instanceof CliError ? error : undefined;
  if (json) {
    printJson(io, {
      error: known
        ? known.toJSON()
        : { title: "Unexpected error", detail: String((error as Error)?.message ?? error) },
    });
  } else if (known) {
    io.stderr.write(`Error: ${known.title}\n${known.detail}\n`);
    if (known instanceof ApiError && known.problem.instance)
      io.stderr.write(`(request ${known.problem.instance})\n`);
  } else {
    const detail = io.env.FG_DEBUG ? (error as Error)?.stack : (error as Error)?.message;
    io.stderr.write(`Error: ${detail ?? String(error)}\n`);
  }
  return known?.exitCode ?? 1;
}
