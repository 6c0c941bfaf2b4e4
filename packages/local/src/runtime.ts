import path from "node:path";
import { Store } from "@fg/core";
import { type DynamoLocal, startDynamoLocal } from "./dynamo-local.ts";
import { fgHome } from "./home.ts";
import { ensureTable } from "./table.ts";

export interface RuntimeOptions {
  /** "persistent" keeps data in $FG_HOME/data across restarts (dev); "memory" forgets it (demo, tests). */
  storage: "persistent" | "memory";
  table?: string;
  log?: (line: string) => void;
}

export interface Service {
  name: string;
  url: string;
  detail?: string;
}

export interface LocalRuntime {
  dynamo: DynamoLocal;
  table: string;
  home: string;
  services: Service[];
  stop(): Promise<void>;
}

/** Boots the local stack on loopback. Later pieces (SMTP, API, vendors, orchestrator) join here. */
export async function startLocalRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const home = fgHome();
  const table = options.table ?? process.env.FG_TABLE ?? "fg-local";
  const dbPath = options.storage === "persistent" ? path.join(home, "data") : undefined;
  log(`starting DynamoDB Local (${dbPath ? `data in ${dbPath}` : "in memory"})`);
  const dynamo = await startDynamoLocal({ dbPath });
  const stops: (() => Promise<void>)[] = [() => dynamo.stop()];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    })();
    return stopped;
  };
  try {
    const { created } = await ensureTable(dynamo.endpoint, table);
    process.env.FG_DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.FG_TABLE = table;
    Store.configure({ table, endpoint: dynamo.endpoint, region: "us-east-1" });
    log(`DynamoDB Local answered in ${dynamo.startupMs} ms; table ${table} ${created ? "created" : "found"}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dynamo,
    table,
    home,
    services: [{ name: "DynamoDB Local", url: dynamo.endpoint, detail: `table ${table}` }],
    stop,
  };
}

/** Stops the runtime on Ctrl-C or SIGTERM, then exits with the conventional code. */
export function stopOnSignals(
  runtime: Pick<LocalRuntime, "stop">,
  onSignal?: (signal: string) => void,
): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      onSignal?.(signal);
      void runtime.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}
