import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Account, Actor, ApiKey } from "@fg/core";
import { afterEach, describe, expect, it } from "vitest";
import { JavaMissingError, startDynamoLocal } from "../src/dynamo-local.ts";
import { startLocalRuntime } from "../src/runtime.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

function javaPidsOnPort(port: number): number[] {
  try {
    return execFileSync("pgrep", ["-f", `^java .*DynamoDBLocal.jar.*-port ${port}( |$)`], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function eventually(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("DynamoDB Local runtime", () => {
  const restore = { ...process.env };
  afterEach(() => {
    process.env = { ...restore };
  });

  it("keeps data in $FG_HOME/data across restarts and leaves no java behind", async () => {
    process.env.FG_HOME = mkdtempSync(path.join(tmpdir(), "fg-home-"));
    const first = await startLocalRuntime({ storage: "persistent", table: "fg-persist" });
    const port = first.dynamo.port;
    expect(javaPidsOnPort(port)).toHaveLength(1);
    const { account } = await Account.signup({ email: "persist@example.com" });
    await first.stop();
    expect(await eventually(() => javaPidsOnPort(port).length === 0)).toBe(true);

    const second = await startLocalRuntime({ storage: "persistent", table: "fg-persist" });
    try {
      const keys = await Actor.system("test", account.id, () => ApiKey.list({}));
      expect(keys).toHaveLength(1);
    } finally {
      await second.stop();
    }
    expect(await eventually(() => javaPidsOnPort(second.dynamo.port).length === 0)).toBe(true);
  });

  it("takes its emulator down with it even when the owning process is SIGKILLed", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "fixtures/start-dynamo.ts")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port));
        child.once("exit", () => reject(new Error("fixture exited early")));
      });
      expect(javaPidsOnPort(port)).toHaveLength(1);
      child.kill("SIGKILL");
      expect(await eventually(() => javaPidsOnPort(port).length === 0)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("says in one line how to install Java when it is missing", async () => {
    process.env.PATH = "/nonexistent";
    const error = await startDynamoLocal().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).toMatch(/Java 17\+.*install/);
    expect((error as Error).message).not.toContain("\n");
  });
});
