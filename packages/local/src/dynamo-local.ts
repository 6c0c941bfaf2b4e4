import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { freePort } from "./ports.ts";
import { spawnTied } from "./watchdog.ts";

export interface DynamoLocal {
  endpoint: string;
  port: number;
  /** Milliseconds from spawn until the emulator answered. */
  startupMs: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Directory for a persistent database; in memory when absent. */
  dbPath?: string;
  port?: number;
  timeoutMs?: number;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      "DynamoDB Local needs Java 17+ and no `java` was found on PATH: install it (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`, macOS: `brew install openjdk@17`).",
    );
    this.name = "JavaMissingError";
  }
}

export function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

const live = new Set<DynamoLocal>();

export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const dir = emulatorDir();
  const port = options.port ?? (await freePort());
  const storage = options.dbPath ? ["-sharedDb", "-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${path.join(dir, "DynamoDBLocal_lib")}`,
    "-Xms64m",
    "-jar",
    path.join(dir, "DynamoDBLocal.jar"),
    ...storage,
    "-port",
    String(port),
    "-disableTelemetry",
  ];
  const started = Date.now();
  // Tied to us through its stdin (see spawnTied); its own process group lets stop() kill it as a whole.
  const child = spawnTied("java", args, { stdout: "pipe", stderr: "pipe", detached: true });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const endpoint = `http://127.0.0.1:${port}`;
  const instance: DynamoLocal = {
    endpoint,
    port,
    startupMs: 0,
    stop: () => stopChild(child, exited).finally(() => live.delete(instance)),
  };
  live.add(instance);
  try {
    await waitUntilAnswering(endpoint, exited, options.timeoutMs ?? 30_000);
  } catch (error) {
    await instance.stop();
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output.trim()}`);
  }
  instance.startupMs = Date.now() - started;
  return instance;
}

async function waitUntilAnswering(endpoint: string, exited: Promise<number | null>, timeoutMs: number) {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (gone) throw new Error("the java process exited");
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`no answer within ${timeoutMs} ms`);
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every emulator this process started; for exit paths that cannot await much. */
export async function stopAllDynamoLocal(): Promise<void> {
  await Promise.all([...live].map((instance) => instance.stop()));
}
