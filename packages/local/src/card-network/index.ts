import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createCardNetworkApp } from "./app.ts";

export interface CardNetworkServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves the local card network on 127.0.0.1 (a free port unless given). The store must be configured. */
export async function startCardNetwork(options: { port?: number } = {}): Promise<CardNetworkServer> {
  const app = createCardNetworkApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: options.port ?? 0 }, () =>
      resolve(started),
    );
    started.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

export { createCardNetworkApp } from "./app.ts";
