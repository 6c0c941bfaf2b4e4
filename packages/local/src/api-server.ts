import type { AddressInfo } from "node:net";
import { createApp } from "@fg/functions/src/api/app.ts";
import { serve } from "@hono/node-server";

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves the public API on 127.0.0.1 (port: option, then FG_PORT, then 8787). The store must be configured. */
export async function startApi(options: { port?: number } = {}): Promise<ApiServer> {
  const port = options.port ?? (process.env.FG_PORT ? Number(process.env.FG_PORT) : 8787);
  const app = createApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, () => resolve(started));
    started.once("error", reject);
  });
  const actual = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
