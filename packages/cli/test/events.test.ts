import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Job } from "@fg/core";
import { type ApiServer, freePort, startApi } from "@fg/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FgClient } from "../src/client.ts";
import { followJob, parseSse } from "../src/events.ts";
import { asAccount } from "./helpers.ts";

let api: ApiServer;
let proxy: Server;
let proxyUrl: string;
const eventRequests: { lastEventId: string | undefined; cut: boolean }[] = [];

/** Forwards body-less requests to the API, but cuts the first event stream right after its first event. */
async function startCuttingProxy(): Promise<void> {
  proxy = createServer(async (req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name, value]) => typeof value === "string" && name !== "host"),
    ) as Record<string, string>;
    const upstream = await fetch(`${api.url}${req.url}`, { method: req.method, headers });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    const isStream = req.url?.endsWith("/events") ?? false;
    const cut = isStream && eventRequests.length === 0;
    if (isStream) eventRequests.push({ lastEventId: headers["last-event-id"], cut });
    if (!upstream.body) return res.end();
    let seen = "";
    for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
      seen += Buffer.from(chunk).toString("utf8");
      if (cut && seen.includes("\n\n")) {
        await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, 100));
        res.destroy();
        return;
      }
      res.write(chunk);
    }
    res.end();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  process.env.FG_SSE_POLL_MS = "50";
  api = await startApi({ port: await freePort() });
  await startCuttingProxy();
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await api?.stop();
});

describe("following a job's event stream", () => {
  it("resumes with Last-Event-ID after a dropped connection, delivering every event once and in order", async () => {
    const signup = await new FgClient({ apiUrl: api.url }).signup(`sse-${randomUUID()}@example.com`);
    const direct = new FgClient({ apiUrl: api.url, apiKey: signup.apiKey.secret });
    const client = new FgClient({ apiUrl: proxyUrl, apiKey: signup.apiKey.secret });
    const job = await direct.createJob({
      vendor: "nimbus-db",
      goal: "api_key",
      maxSpend: { amount: 0, currency: "usd" },
    });
    const drive = (to: Job.Status) => asAccount(signup.account.id, () => Job.transition({ id: job.id, to }));
    await drive("planning");
    await drive("provisioning");
    const seqs: number[] = [];
    const statuses: string[] = [];
    const reconnects: number[] = [];
    const finished = await followJob(client, job.id, {
      onEvent: async (event) => {
        seqs.push(event.seq);
        statuses.push(String(event.data.status));
        if (event.data.status === "provisioning") {
          await drive("settling");
          await drive("succeeded");
        }
      },
      onReconnect: ({ lastSeq }) => reconnects.push(lastSeq),
    });
    expect(finished.status).toBe("succeeded");
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(statuses).toEqual(["queued", "planning", "provisioning", "settling", "succeeded"]);
    expect(eventRequests[0]).toEqual({ lastEventId: undefined, cut: true });
    // The first chunk may carry several events; the resume starts after the last one received.
    expect(reconnects[0]).toBeGreaterThanOrEqual(1);
    expect(eventRequests[1]).toEqual({ lastEventId: String(reconnects[0]), cut: false });
  });
});

describe("parseSse", () => {
  it("reads ids, event names, multi-line data and CRLF, and skips comments", async () => {
    const text =
      ': keepalive\r\n\r\nid: 7\r\nevent: job.status\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 8\ndata:x\n\n';
    const body = new Blob([text]).stream();
    const messages = [];
    for await (const message of parseSse(body)) messages.push(message);
    expect(messages).toEqual([
      { id: "7", event: "job.status", data: '{"a":\n1}' },
      { id: "8", event: undefined, data: "x" },
    ]);
  });
});
