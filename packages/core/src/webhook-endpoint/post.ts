import http from "node:http";
import https from "node:https";
import net from "node:net";
import { guardedLookup, isForbiddenAddress } from "./target.ts";

export interface PostResult {
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** POSTs without following redirects; the receiver's body is drained and never stored. */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const done = (result: Omit<PostResult, "durationMs">): PostResult => ({
    ...result,
    durationMs: Math.round(performance.now() - started),
  });
  return new Promise((resolve) => {
    const url = new URL(target);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (net.isIP(host) && isForbiddenAddress(host)) {
      resolve(done({ error: "the target address is forbidden" }));
      return;
    }
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup as unknown as net.LookupFunction,
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(done({ statusCode: response.statusCode })));
        response.on("error", () => resolve(done({ statusCode: response.statusCode })));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on("error", (error: NodeJS.ErrnoException) =>
      resolve(
        done({ error: error.code === "EFORBIDDEN" ? "the target address is forbidden" : error.message }),
      ),
    );
    request.end(body);
  });
}
