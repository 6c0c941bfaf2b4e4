import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Actor, Job } from "@fg/core";

export const BIN = fileURLToPath(new URL("../bin/fg", import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A private config home for one simulated user of the real `fg` binary. */
export function newUser(): { xdg: string; configFile: string; env: NodeJS.ProcessEnv } {
  const xdg = mkdtempSync(path.join(tmpdir(), "fg-xdg-"));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: xdg, NO_COLOR: "1" };
  delete env.FG_API_KEY;
  delete env.FG_API_URL;
  return { xdg, configFile: path.join(xdg, "fg", "config.json"), env };
}

/** Spawns the real executable (bin/fg.js, as `npx fg-cli` runs it) with no terminal attached. */
export function fg(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { stdin?: "ignore" | "pipe" } = {},
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(BIN, args, { env, stdio: [options.stdin ?? "ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

export function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return fg(args, env).done;
}

export async function signUp(apiUrl: string, user: { env: NodeJS.ProcessEnv; configFile: string }) {
  const email = `dev-${randomUUID()}@example.com`;
  const result = await run(["auth", "signup", "--email", email, "--api-url", apiUrl], user.env);
  if (result.code !== 0) throw new Error(`signup failed: ${result.stderr}`);
  const config = JSON.parse(readFileSync(user.configFile, "utf8")) as { apiKey: string; accountId: string };
  return { email, ...config, signupOutput: result };
}

/** Waits for the account's only job to appear (the CLI creates it) and returns its id. */
export async function firstJob(accountId: string): Promise<string> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const page = await Actor.system("test", accountId, () => Job.list({}));
    if (page.data[0]) return page.data[0].id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the CLI never created a job");
}

export function asAccount<T>(accountId: string, cb: () => Promise<T>): Promise<T> {
  return Actor.system("test: the orchestration stand-in", accountId, cb);
}
