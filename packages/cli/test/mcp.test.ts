import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Credential, Job } from "@fg/core";
import { type ApiServer, freePort, startApi } from "@fg/local";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FgClient } from "../src/client.ts";
import { createMcpServer } from "../src/mcp/server.ts";
import { asAccount } from "./helpers.ts";

let api: ApiServer;

beforeAll(async () => {
  process.env.FG_SSE_POLL_MS = "50";
  api = await startApi({ port: await freePort() });
});

afterAll(async () => {
  await api?.stop();
});

async function connect() {
  const signup = await new FgClient({ apiUrl: api.url }).signup(`agent-${randomUUID()}@example.com`);
  const server = createMcpServer(new FgClient({ apiUrl: api.url, apiKey: signup.apiKey.secret }));
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const outputs: string[] = [];
  const call = async (
    name: string,
    args: Record<string, unknown> = {},
    onprogress?: (p: { message?: string }) => void,
  ) => {
    const result = await client.callTool({ name, arguments: args }, CallToolResultSchema, { onprogress });
    outputs.push(JSON.stringify(result));
    return result as {
      isError?: boolean;
      content: { type: string; text: string }[];
      // biome-ignore lint/suspicious/noExplicitAny: tool results are JSON the assertions walk freely
      structuredContent?: any;
    };
  };
  return { accountId: signup.account.id, client, server, call, outputs };
}

describe("fg mcp", () => {
  it("lists the snake_case tools", async () => {
    const { client, server } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "approve_job",
      "cancel_job",
      "get_job",
      "list_credentials",
      "list_jobs",
      "list_vendors",
      "provision",
      "save_credential_to_env",
    ]);
    await server.close();
  });

  it("starts a job with provision and reads it back with get_job and list_jobs", async () => {
    const { call, server } = await connect();
    const started = await call("provision", { vendor: "relay-mail", plan: "starter" });
    expect(started.isError).toBeFalsy();
    const job = started.structuredContent.job;
    expect(job).toMatchObject({
      vendor: "relay-mail",
      plan: "starter",
      maxSpend: { amount: 1500, currency: "usd" },
    });
    const got = await call("get_job", { job_id: job.id });
    expect(got.structuredContent).toMatchObject({ job: { id: job.id, status: "queued" }, credentials: [] });
    const listed = await call("list_jobs", {});
    expect(listed.structuredContent.data.map((j: { id: string }) => j.id)).toEqual([job.id]);
    const vendors = await call("list_vendors");
    expect(vendors.structuredContent.data.map((v: { slug: string }) => v.slug)).toContain("nimbus-db");
    const canceled = await call("cancel_job", { job_id: job.id });
    expect(canceled.structuredContent.job.status).toBe("canceled");
    const again = await call("cancel_job", { job_id: job.id });
    expect(again.isError).toBe(true);
    expect(again.content[0]?.text).toContain("Conflict");
    await server.close();
  });

  it("waits for a job with progress notifications, then saves its key into .env without returning it", async () => {
    const { accountId, call, outputs, server } = await connect();
    const secret = `nmb_${randomUUID().replaceAll("-", "")}`;
    const progress: string[] = [];
    const waiting = call("provision", { vendor: "nimbus-db", wait: true }, (p) =>
      progress.push(p.message ?? ""),
    );
    let jobId: string | undefined;
    while (!jobId) {
      jobId = (await asAccount(accountId, () => Job.list({}))).data[0]?.id;
      if (!jobId) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const id = jobId;
    const credential = await asAccount(accountId, async () => {
      await Job.transition({ id, to: "planning" });
      await Job.transition({ id, to: "provisioning" });
      const stored = await Credential.store({
        jobId: id,
        vendor: "nimbus-db",
        kind: "api_key",
        label: "key",
        value: secret,
      });
      await Job.transition({ id, to: "settling" });
      await Job.transition({ id, to: "succeeded" });
      return stored;
    });
    const finished = await waiting;
    expect(finished.isError).toBeFalsy();
    expect(finished.structuredContent).toMatchObject({
      job: { id, status: "succeeded" },
      credentials: [{ id: credential.id, kind: "api_key" }],
    });
    expect(progress).toEqual(
      expect.arrayContaining(["Queued", "Planning", "Provisioning at the vendor", "Settling", "Succeeded"]),
    );

    const dir = mkdtempSync(path.join(tmpdir(), "fg-agent-project-"));
    const saved = await call("save_credential_to_env", { credential_id: credential.id, directory: dir });
    expect(saved.isError).toBeFalsy();
    expect(saved.structuredContent).toEqual({
      variable: "NIMBUS_DB_API_KEY",
      file: path.join(dir, ".env"),
      credential_id: credential.id,
      created: true,
    });
    expect(readFileSync(path.join(dir, ".env"), "utf8")).toBe(`NIMBUS_DB_API_KEY=${secret}\n`);
    expect(statSync(path.join(dir, ".env")).mode & 0o777).toBe(0o600);

    await call("list_credentials", {});
    await call("get_job", { job_id: id });
    expect(outputs.length).toBeGreaterThan(3);
    for (const output of [...outputs, ...progress]) expect(output).not.toContain(secret);
    await server.close();
  });

  it("refuses a relative directory or a path as the env file name", async () => {
    const { call, server } = await connect();
    const relative = await call("save_credential_to_env", {
      credential_id: "cred_01JD2V6ZQ4T3N8K5W7Y9B1C3EF",
      directory: "project",
    });
    expect(relative.isError).toBe(true);
    expect(relative.content[0]?.text).toContain("absolute path");
    const outside = await call("save_credential_to_env", {
      credential_id: "cred_01JD2V6ZQ4T3N8K5W7Y9B1C3EF",
      directory: tmpdir(),
      env_file: "../.bashrc",
    });
    expect(outside.isError).toBe(true);
    await server.close();
  });
});
