import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { usage } from "./errors.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BARE = /^[A-Za-z0-9_\-.:/+@%,~^=]*$/;

export function assertVariableName(name: string): void {
  if (!NAME.test(name)) {
    throw usage(
      `"${name}" is not a valid variable name: use letters, digits and _, not starting with a digit`,
    );
  }
}

/** A suggested variable name for a credential: nimbus-db + api_key → NIMBUS_DB_API_KEY. */
export function defaultVariableName(credential: { vendor: string; kind: string }): string {
  let vendor = credential.vendor;
  try {
    if (/^https?:\/\//.test(vendor))
      vendor = new URL(vendor).hostname.replace(/^www\./, "").split(".")[0] ?? vendor;
  } catch {
    // not a URL after all; use it as it is
  }
  const name = `${vendor}_${credential.kind}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[0-9]/.test(name) ? `_${name}` : name || "SECRET";
}

/**
 * Quotes a value so dotenv, docker compose and `set -a; . .env` all read it back unchanged: bare when
 * it is plainly safe, single quotes (literal) when possible, double quotes with escapes otherwise.
 */
export function quoteEnvValue(value: string): string {
  if (BARE.test(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$/g, "\\$")
    .replace(/`/g, "\\`")
    .replace(/\r/g, "\\r")
    .replace(/\n/g, "\\n");
  return `"${escaped}"`;
}

/**
 * Sets `name=value` in an env file: replaces the existing definition (keeping an `export ` prefix),
 * drops later duplicates of the same name, keeps every other line and the file's mode and line endings,
 * or creates the file owner-only (0600). The write is atomic. The value is never returned or logged.
 */
export function writeEnvVariable(
  file: string,
  name: string,
  value: string,
): { file: string; created: boolean } {
  assertVariableName(name);
  const target = path.resolve(file);
  let text: string | undefined;
  let mode = 0o600;
  try {
    text = readFileSync(target, "utf8");
    mode = statSync(target).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const eol = text?.includes("\r\n") ? "\r\n" : "\n";
  const lines = text === undefined || text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const definition = new RegExp(`^(\\s*)(export\\s+)?${name}\\s*=(.*)$`);
  const out: string[] = [];
  let replaced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const match = definition.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    i = lastLineOfValue(lines, i, (match[3] ?? "").trimStart());
    if (!replaced) {
      out.push(`${match[1] ?? ""}${match[2] ?? ""}${name}=${quoteEnvValue(value)}`);
      replaced = true;
    }
  }
  if (!replaced) out.push(`${name}=${quoteEnvValue(value)}`);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    writeFileSync(temp, out.join(eol) + eol, { mode });
    chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    throw error;
  }
  return { file: target, created: text === undefined };
}

/** A quoted value may span lines; returns the index of the line that closes it. */
function lastLineOfValue(lines: string[], start: number, value: string): number {
  const quote = value[0];
  if (quote !== '"' && quote !== "'" && quote !== "`") return start;
  if (closes(value.slice(1), quote)) return start;
  for (let i = start + 1; i < lines.length; i++) {
    if (closes(lines[i] as string, quote)) return i;
  }
  return start;
}

function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && quote === '"') i++;
    else if (text[i] === quote) return true;
  }
  return false;
}
