import path from "node:path";
import { chromiumPath } from "@fg/agent/browser";
import { createLocalOrchestrator, Orchestration, Store } from "@fg/core";
import { startVendors, type VendorsOptions } from "@fg/vendors";
import { startApi } from "./api-server.ts";
import { startCardNetwork } from "./card-network/index.ts";
import { type DynamoLocal, startDynamoLocal } from "./dynamo-local.ts";
import { fgHome } from "./home.ts";
import {
  createLocalRunner,
  type LocalRunner,
  type LocalRunnerOptions,
  recoverJobs,
  startQueueConsumer,
} from "./orchestrator/index.ts";
import { startSmtpInbox } from "./smtp/index.ts";
import { ensureTable } from "./table.ts";

export interface RuntimeOptions {
  /** "persistent" keeps data in $FG_HOME/data across restarts (dev); "memory" forgets it (demo, tests). */
  storage: "persistent" | "memory";
  /**
   * "fixed": the well-known ports (API FG_PORT or 8787, SMTP FG_SMTP_PORT or 2525) so the CLI and other apps
   * find them; "free": any free ports, so a demo or test never collides with a running dev stack.
   */
  ports?: "fixed" | "free";
  table?: string;
  /** Use this DynamoDB endpoint instead of starting an emulator (tests share one; the data outlives us). */
  dynamoEndpoint?: string;
  /**
   * Vendors that live elsewhere (with their SMTP inbox and card network): the runtime then starts neither.
   * Real vendors outlive fg's processes; tests that restart the runtime use this to keep them.
   */
  external?: { vendors: Record<string, string>; smtpPort: number; cardNetworkUrl: string };
  /** Turns on the demo vendors' test-only admin endpoints (tests compare extracted keys with the truth). */
  vendorsAdmin?: boolean;
  wobbly?: VendorsOptions["wobbly"];
  /** The job pipeline: queue consumer, local state machine runner, browser worker processes. On by default. */
  pipeline?: boolean | LocalRunnerOptions;
  /** Browser jobs running at once (the SQS consumer concurrency cap on AWS). */
  maxConcurrentJobs?: number;
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
  apiUrl: string;
  smtpPort: number;
  cardNetworkUrl: string;
  vendors: Record<string, { url: string; adminUrl?: string }>;
  runner?: LocalRunner;
  services: Service[];
  stop(): Promise<void>;
}

const DEFAULT_API_PORT = 8787;
const DEFAULT_SMTP_PORT = 2525;

function envPort(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Boots the whole local stack on loopback, each piece stopped in reverse order by `stop()`. */
export async function startLocalRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const fixed = (options.ports ?? "free") === "fixed";
  const home = fgHome();
  const table = options.table ?? process.env.FG_TABLE ?? "fg-local";
  const dbPath = options.storage === "persistent" ? path.join(home, "data") : undefined;
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    })();
    return stopped;
  };

  try {
    const dynamo = options.dynamoEndpoint
      ? external(options.dynamoEndpoint)
      : await startDynamoLocal({ dbPath });
    if (!options.dynamoEndpoint)
      log(`started DynamoDB Local (${dbPath ? `data in ${dbPath}` : "in memory"})`);
    stops.push(() => dynamo.stop());
    const { created } = await ensureTable(dynamo.endpoint, table);
    process.env.FG_DYNAMODB_ENDPOINT = dynamo.endpoint;
    process.env.FG_TABLE = table;
    Store.configure({ table, endpoint: dynamo.endpoint, region: "us-east-1" });
    log(`DynamoDB Local answered in ${dynamo.startupMs} ms; table ${table} ${created ? "created" : "found"}`);

    // Only the local runtime may let jobs and webhooks target loopback; deployed stages never set these.
    process.env.FG_ALLOW_LOOPBACK_VENDORS = "1";
    process.env.FG_ALLOW_LOOPBACK_WEBHOOKS = "1";

    const local = options.external ? undefined : await startVendorSide(options, fixed, stops, log);
    const vendorSide = options.external ?? local!;
    process.env.FG_SMTP_PORT = String(vendorSide.smtpPort);
    for (const [slug, url] of Object.entries(vendorSide.vendors)) {
      process.env[`FG_VENDOR_URL_${slug.toUpperCase().replace(/-/g, "_")}`] = url;
    }

    const api = await startApi(fixed ? { port: envPort("FG_PORT", DEFAULT_API_PORT) } : { port: 0 });
    stops.push(() => api.stop());
    log(`API at ${api.url}`);

    let runner: LocalRunner | undefined;
    if (options.pipeline !== false) {
      // Unpack the bundled Chromium once, here: workers that unpack it concurrently race (ETXTBSY).
      log(`Chromium at ${await chromiumPath()}`);
      runner = createLocalRunner({ log, ...(typeof options.pipeline === "object" ? options.pipeline : {}) });
      const localRunner = runner;
      Orchestration.configure(createLocalOrchestrator({ start: (input) => localRunner.start(input) }));
      stops.push(() => localRunner.stop());
      const recovered = await recoverJobs(runner, log);
      if (recovered > 0) log(`driving ${recovered} unfinished job(s) again after a restart`);
      const consumer = startQueueConsumer({ runner, maxConcurrent: options.maxConcurrentJobs ?? 2, log });
      stops.push(() => consumer.stop());
    }

    return {
      dynamo,
      table,
      home,
      apiUrl: api.url,
      smtpPort: vendorSide.smtpPort,
      cardNetworkUrl: vendorSide.cardNetworkUrl,
      vendors: Object.fromEntries(
        Object.entries(vendorSide.vendors).map(([slug, url]) => {
          const adminUrl = local?.adminUrls[slug];
          return [slug, adminUrl ? { url, adminUrl } : { url }];
        }),
      ),
      ...(runner ? { runner } : {}),
      services: [
        { name: "API", url: api.url, detail: `docs at ${api.url}/docs` },
        { name: "DynamoDB Local", url: dynamo.endpoint, detail: `table ${table}` },
        {
          name: "SMTP inbox",
          url: `smtp://127.0.0.1:${vendorSide.smtpPort}`,
          detail: "accepts *@inbox.fg.test",
        },
        {
          name: "card network",
          url: vendorSide.cardNetworkUrl,
          detail: "sandbox authorizations and captures",
        },
        ...Object.entries(vendorSide.vendors).map(([slug, url]) => ({ name: `vendor ${slug}`, url })),
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The SMTP inbox, the card network and the demo vendors, started here. */
export async function startVendorSide(
  options: Pick<RuntimeOptions, "vendorsAdmin" | "wobbly">,
  fixed: boolean,
  stops: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<{
  vendors: Record<string, string>;
  adminUrls: Record<string, string>;
  smtpPort: number;
  cardNetworkUrl: string;
}> {
  const smtp = await startSmtpInbox(
    fixed ? { port: envPort("FG_SMTP_PORT", DEFAULT_SMTP_PORT) } : { port: 0 },
  );
  stops.push(() => smtp.stop());
  log(`SMTP inbox listening on 127.0.0.1:${smtp.port}`);
  const cardNetwork = await startCardNetwork();
  stops.push(() => cardNetwork.stop());
  log(`card network at ${cardNetwork.url}`);
  const started = await startVendors({
    smtpPort: smtp.port,
    cardNetworkUrl: cardNetwork.url,
    admin: options.vendorsAdmin ?? false,
    ...(options.wobbly ? { wobbly: options.wobbly } : {}),
  });
  stops.push(() => started.stop());
  log(`demo vendors: ${Object.keys(started.vendors).join(", ")}`);
  const entries = Object.entries(started.vendors);
  return {
    vendors: Object.fromEntries(entries.map(([slug, v]) => [slug, v.url])),
    adminUrls: Object.fromEntries(entries.flatMap(([slug, v]) => (v.adminUrl ? [[slug, v.adminUrl]] : []))),
    smtpPort: smtp.port,
    cardNetworkUrl: cardNetwork.url,
  };
}

function external(endpoint: string): DynamoLocal {
  return { endpoint, port: Number(new URL(endpoint).port), startupMs: 0, stop: async () => {} };
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
