import { Actor, Job, JobEvent } from "@fg/core";
import { type ApiServer, startApi } from "@fg/local/api-server";
import { freePort } from "@fg/local/ports";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freeJob, signup } from "./helpers.ts";
import { readSse } from "./sse.ts";

let api: ApiServer;

beforeAll(async () => {
  process.env.FG_SSE_POLL_MS = "30";
  api = await startApi({ port: await freePort() });
});

afterAll(async () => {
  await api?.stop();
  delete process.env.FG_SSE_POLL_MS;
});

async function post(key: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string };
}

function stream(key: string, jobId: string, lastEventId?: number) {
  return fetch(`${api.url}/v1/jobs/${jobId}/events`, {
    headers: {
      authorization: `Bearer ${key}`,
      accept: "text/event-stream",
      ...(lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) }),
    },
  });
}

it("streams events in order and resumes from Last-Event-ID without loss or duplicates", async () => {
  const { key, accountId } = await signup();
  const job = await post(key, "/v1/jobs", freeJob);
  const asAccount = <T>(cb: () => Promise<T>) => Actor.system("test", accountId, cb);
  const append = (n: number) =>
    asAccount(() => JobEvent.append({ jobId: job.id, type: "agent.action", data: { n } }));

  const first = await stream(key, job.id);
  expect(first.headers.get("content-type")).toContain("text/event-stream");
  const writer = (async () => {
    for (let n = 1; n <= 5; n++) await append(n);
  })();
  const seen = await readSse(first, (events) => events.length >= 4);
  await writer;

  const lastSeen = Number(seen.at(-1)?.id);
  const more = (async () => {
    for (let n = 6; n <= 8; n++) await append(n);
    await asAccount(async () => {
      await Job.transition({ id: job.id, to: "planning" });
      await Job.transition({ id: job.id, to: "provisioning" });
      await Job.transition({ id: job.id, to: "settling" });
      await Job.transition({ id: job.id, to: "succeeded" });
    });
  })();
  const resumed = await readSse(await stream(key, job.id, lastSeen), () => false);
  await more;

  const all = [...seen, ...resumed];
  const seqs = all.map((e) => Number(e.id));
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  const stored = await asAccount(() => JobEvent.list({ jobId: job.id }));
  expect(seqs).toEqual(stored.map((e) => e.seq));
  expect(all.at(-1)).toMatchObject({ event: "job.status" });
  expect(JSON.parse(all.at(-1)?.data ?? "{}").data.status).toBe("succeeded");
  expect(all.map((e) => JSON.parse(e.data).seq)).toEqual(seqs);
});

it("ends the stream of a finished job after sending what is left", async () => {
  const { key, accountId } = await signup();
  const job = await post(key, "/v1/jobs", freeJob);
  await Actor.system("test", accountId, () => Job.transition({ id: job.id, to: "canceled" }));
  const events = await readSse(await stream(key, job.id), () => false);
  expect(events.map((e) => e.id)).toEqual(["1", "2"]);
});

it("refuses a Last-Event-ID that is not a seq", async () => {
  const { key } = await signup();
  const job = await post(key, "/v1/jobs", freeJob);
  const res = await fetch(`${api.url}/v1/jobs/${job.id}/events`, {
    headers: { authorization: `Bearer ${key}`, accept: "text/event-stream", "last-event-id": "abc" },
  });
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
});
