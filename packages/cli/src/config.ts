import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "./errors.ts";

export const DEFAULT_API_URL = "http://127.0.0.1:8787";

export interface StoredConfig {
  apiUrl?: string;
  apiKey?: string;
  accountId?: string;
  email?: string;
}

export interface ResolvedConfig {
  apiUrl: string;
  apiKey: string | undefined;
  /** Where each value came from, for `fg auth status`. */
  sources: { apiUrl: "env" | "config" | "default"; apiKey: "env" | "config" | "none" };
  stored: StoredConfig;
  path: string;
}

/** `$XDG_CONFIG_HOME/fg/config.json`, or `~/.config/fg/config.json` when XDG_CONFIG_HOME is unset. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return path.join(base ?? path.join(os.homedir(), ".config"), "fg", "config.json");
}

export function readConfig(file = configPath()): StoredConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    const { apiUrl, apiKey, accountId, email } = parsed as Record<string, unknown>;
    return {
      ...(typeof apiUrl === "string" ? { apiUrl } : {}),
      ...(typeof apiKey === "string" ? { apiKey } : {}),
      ...(typeof accountId === "string" ? { accountId } : {}),
      ...(typeof email === "string" ? { email } : {}),
    };
  } catch {
    throw new CliError("Invalid configuration", `${file} is not a JSON object; fix or delete it`);
  }
}

/**
 * Merges `update` into the stored config and writes it owner-only (0600, directory 0700), atomically so
 * a crash never leaves half a key behind. `npm run dev` uses this to write a ready-to-use demo config.
 */
export function writeConfig(update: StoredConfig, file = configPath()): StoredConfig {
  const next = { ...readConfig(file), ...update };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return next;
}

/** Environment first (FG_API_URL, FG_API_KEY), then the config file, then the local runtime's default URL. */
export function resolveConfig(env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const file = configPath(env);
  const stored = readConfig(file);
  const envUrl = env.FG_API_URL?.trim() || undefined;
  const envKey = env.FG_API_KEY?.trim() || undefined;
  return {
    apiUrl: (envUrl ?? stored.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ""),
    apiKey: envKey ?? stored.apiKey,
    sources: {
      apiUrl: envUrl ? "env" : stored.apiUrl ? "config" : "default",
      apiKey: envKey ? "env" : stored.apiKey ? "config" : "none",
    },
    stored,
    path: file,
  };
}

/** What may be shown of an API key: its prefix, as the API shows it. */
export function keyPrefix(key: string): string {
  return `${key.slice(0, "fg_sk_".length + 8)}…`;
}
