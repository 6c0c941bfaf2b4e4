import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface Listening {
  url: string;
  stop(): Promise<void>;
}

/** Serves an app on its own loopback origin (127.0.0.1, a free port unless one is given). */
export function listen(app: Hono, port = 0): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        stop: () =>
          new Promise<void>((done) => {
            const closable = server as { closeAllConnections?: () => void };
            server.close(() => done());
            closable.closeAllConnections?.();
          }),
      });
    });
    server.once("error", reject);
  });
}
