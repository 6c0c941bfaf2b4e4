import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { FgClient } from "../client.ts";
import { assertVariableName, defaultVariableName, writeEnvVariable } from "../env-file.ts";
import { CliError } from "../errors.ts";
import { followJob } from "../events.ts";
import { CURRENCIES, type Currency, formatMoney } from "../money.ts";
import { describeEvent, STATUS_LABELS } from "../output.ts";
import type { JobInfo, JobStatus } from "../types.ts";
import { jobCredentials } from "../watch.ts";

const JobId = z
  .string()
  .regex(/^job_[0-9A-HJKMNP-TV-Z]{26}$/, "a job id like job_01J…")
  .describe("the job id (job_…)");
const CredentialId = z.string().regex(/^cred_[0-9A-HJKMNP-TV-Z]{26}$/, "a credential id like cred_01J…");
const ENV_FILE = /^\.?[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The MCP server behind `fg mcp`. Every tool goes through the public API with the configured key.
 * No tool ever returns a secret value: credentials travel from the API straight into a file.
 */
export function createMcpServer(client: FgClient): McpServer {
  const server = new McpServer({ name: "fg", version: "0.1.0" });

  server.registerTool(
    "provision",
    {
      title: "Provision a SaaS account or API key",
      description:
        "Starts a job that signs up at a vendor (a known slug from list_vendors, or an https:// URL), pays at most max_spend with a single-use virtual card, and stores the resulting credential. With wait=true it reports progress and returns when the job ends; otherwise poll get_job. Jobs above the account's approval threshold wait for approve_job. The credential value is never returned: use save_credential_to_env.",
      inputSchema: {
        vendor: z.string().min(1).max(2048).describe("vendor slug (e.g. nimbus-db) or https:// URL"),
        goal: z.enum(["account", "api_key", "subscription"]).default("api_key"),
        plan: z.string().min(1).max(100).optional().describe("the vendor's plan id, e.g. starter"),
        max_spend: z
          .number()
          .min(0)
          .max(10_000)
          .optional()
          .describe("the most to spend, in major units (20 = $20.00); default: the plan's price, or 0"),
        currency: z.enum(CURRENCIES as [Currency, ...Currency[]]).default("usd"),
        wait: z
          .boolean()
          .default(false)
          .describe("follow the job until it ends, with progress notifications"),
        idempotency_key: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe("retrying with the same key never starts a second job"),
      },
    },
    async (args, extra) =>
      guard(async () => {
        const amount =
          args.max_spend !== undefined
            ? Math.round(args.max_spend * 100)
            : await planPrice(client, args.vendor, args.plan);
        const job = await client.createJob(
          {
            vendor: args.vendor,
            goal: args.goal,
            ...(args.plan ? { plan: args.plan } : {}),
            maxSpend: { amount, currency: args.currency },
          },
          args.idempotency_key ?? randomUUID(),
        );
        if (!args.wait) {
          return result(
            { job, next: `The job is ${job.status}. Call get_job with job_id ${job.id} to see progress.` },
            `Started ${job.id} at ${job.vendor} (max spend ${formatMoney(amount, args.currency)}).`,
          );
        }
        const progressToken = extra._meta?.progressToken;
        let progress = 0;
        const finished = await followJob(client, job.id, {
          signal: extra.signal,
          onEvent: async (event) => {
            progress++;
            if (progressToken === undefined) return;
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress, message: describeEvent(event) },
            });
          },
        });
        return finishedResult(client, finished);
      }),
  );

  server.registerTool(
    "get_job",
    {
      title: "Get a provisioning job",
      description: "A job's status, steps, spend (cents), failure reason, and its credentials' metadata.",
      inputSchema: { job_id: JobId },
      annotations: { readOnlyHint: true },
    },
    async ({ job_id }) =>
      guard(async () => {
        const job = await client.getJob(job_id);
        const credentials = await jobCredentials(client, job);
        return result(
          { job, credentials },
          `${job.id}: ${STATUS_LABELS[job.status as JobStatus] ?? job.status}`,
        );
      }),
  );

  server.registerTool(
    "list_jobs",
    {
      title: "List provisioning jobs",
      description: "Jobs of the account, newest first.",
      inputSchema: {
        status: z.enum(Object.keys(STATUS_LABELS) as [JobStatus, ...JobStatus[]]).optional(),
        vendor: z.string().min(1).max(2048).optional(),
        limit: z.number().int().min(1).max(100).default(20),
        cursor: z.string().min(1).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => guard(async () => result(await client.listJobs(args))),
  );

  server.registerTool(
    "approve_job",
    {
      title: "Approve a job",
      description:
        "Approves a job waiting above the account's approval threshold, letting it spend its max_spend.",
      inputSchema: { job_id: JobId },
    },
    async ({ job_id }) => guard(async () => result({ job: await client.approveJob(job_id) })),
  );

  server.registerTool(
    "cancel_job",
    {
      title: "Cancel a job",
      description: "Cancels a running job; whatever was not spent is refunded.",
      inputSchema: { job_id: JobId },
      annotations: { destructiveHint: true },
    },
    async ({ job_id }) => guard(async () => result({ job: await client.cancelJob(job_id) })),
  );

  server.registerTool(
    "list_vendors",
    {
      title: "List vendors",
      description:
        "Vendors fg has skills for, with goals and plans (amounts in cents). Other vendors: pass an https:// URL.",
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () => guard(async () => result(await client.listVendors())),
  );

  server.registerTool(
    "list_credentials",
    {
      title: "List credentials",
      description:
        "Credentials' metadata (never values), newest first. Use save_credential_to_env to put one into a project.",
      inputSchema: {
        vendor: z.string().min(1).max(2048).optional(),
        job_id: JobId.optional(),
        limit: z.number().int().min(1).max(100).default(20),
        cursor: z.string().min(1).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      guard(async () =>
        result(
          await client.listCredentials({
            vendor: args.vendor,
            jobId: args.job_id,
            limit: args.limit,
            cursor: args.cursor,
          }),
        ),
      ),
  );

  server.registerTool(
    "save_credential_to_env",
    {
      title: "Save a credential into a .env file",
      description:
        "Writes a credential's value as VARIABLE=value into an env file in the given directory (created owner-only if missing; other lines kept). Returns only the variable name and file path: the value never passes through the conversation.",
      inputSchema: {
        credential_id: CredentialId,
        directory: z.string().min(1).describe("absolute path of the project directory"),
        variable: z
          .string()
          .optional()
          .describe("variable name; default from vendor and kind, e.g. NIMBUS_DB_API_KEY"),
        env_file: z
          .string()
          .default(".env")
          .describe("file name inside the directory, e.g. .env or .env.local"),
      },
    },
    async (args) =>
      guard(async () => {
        if (!path.isAbsolute(args.directory))
          throw new CliError("Invalid input", "directory must be an absolute path");
        if (!ENV_FILE.test(args.env_file) || args.env_file.includes("..")) {
          throw new CliError("Invalid input", "env_file must be a file name such as .env, without a path");
        }
        let isDirectory = false;
        try {
          isDirectory = statSync(args.directory).isDirectory();
        } catch {
          // reported below
        }
        if (!isDirectory)
          throw new CliError("Invalid input", `${args.directory} is not an existing directory`);
        const credential = await client.getCredential(args.credential_id);
        const variable = args.variable ?? defaultVariableName(credential);
        assertVariableName(variable);
        const file = path.join(args.directory, args.env_file);
        const { value } = await client.revealCredential(
          args.credential_id,
          `MCP save_credential_to_env (${variable})`,
        );
        const written = writeEnvVariable(file, variable, value);
        return result(
          { variable, file: written.file, credential_id: args.credential_id, created: written.created },
          `Saved ${credential.kind} for ${credential.vendor} as ${variable} in ${written.file}. The value is not shown here; the project reads it from the file.`,
        );
      }),
  );

  return server;
}

async function planPrice(client: FgClient, vendor: string, plan: string | undefined): Promise<number> {
  if (!plan) return 0;
  const known = (await client.listVendors()).data.find((v) => v.slug === vendor);
  const found = known?.plans.find((p) => p.id === plan);
  if (!found)
    throw new CliError(
      "Invalid input",
      `give max_spend: the price of plan "${plan}" at ${vendor} is not known`,
    );
  return found.amount;
}

async function finishedResult(client: FgClient, job: JobInfo): Promise<CallToolResult> {
  const credentials = await jobCredentials(client, job);
  if (job.status === "succeeded") {
    const hint = credentials[0]
      ? ` Call save_credential_to_env with credential_id ${credentials[0].id} to put it into the project.`
      : "";
    return result({ job, credentials }, `${job.id} succeeded.${hint}`);
  }
  const why = job.failure ? `${job.failure.message} (${job.failure.code})` : `it ended as ${job.status}`;
  return { ...result({ job, credentials }, `${job.id} did not succeed: ${why}`), isError: true };
}

function result(data: object, summary?: string): CallToolResult {
  const text = JSON.stringify(data, null, 2);
  return {
    content: [
      ...(summary ? [{ type: "text" as const, text: summary }] : []),
      { type: "text" as const, text },
    ],
    structuredContent: data as Record<string, unknown>,
  };
}

/** Tool failures become MCP error results with the problem's title and detail (never a secret). */
async function guard(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    const text =
      error instanceof CliError ? `${error.title}: ${error.detail}` : "Unexpected error in the fg MCP server";
    return { isError: true, content: [{ type: "text", text }] };
  }
}
