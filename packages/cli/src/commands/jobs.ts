import type { Command } from "commander";
import { action, type Context, type JsonOption, jsonOption } from "../context.ts";
import { usage } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { printJson, println, STATUS_LABELS, table } from "../output.ts";
import type { JobStatus } from "../types.ts";
import { jobCredentials, printJob, reportFinished, watchJob } from "../watch.ts";

const STATUSES = Object.keys(STATUS_LABELS) as JobStatus[];

export function registerJobs(program: Command, ctx: Context): void {
  const jobs = program
    .command("jobs")
    .description("List, inspect, follow, cancel and approve provisioning jobs");

  jsonOption(
    jobs
      .command("list")
      .description("List jobs, newest first")
      .option("--status <status>", `only jobs in this status (${STATUSES.join(", ")})`)
      .option("--vendor <vendor>", "only jobs for this vendor")
      .option("--limit <n>", "how many (1-100)", "20")
      .option("--cursor <cursor>", "continue a previous listing"),
  ).action(
    action(
      ctx,
      async (options: JsonOption & { status?: string; vendor?: string; limit: string; cursor?: string }) => {
        if (options.status && !STATUSES.includes(options.status as JobStatus)) {
          throw usage(`--status must be one of ${STATUSES.join(", ")}`);
        }
        const page = await ctx.client().listJobs({
          status: options.status as JobStatus | undefined,
          vendor: options.vendor,
          limit: limit(options.limit),
          cursor: options.cursor,
        });
        if (options.json) return printJson(ctx.io, page);
        if (page.data.length === 0) return println(ctx.io, "No jobs.");
        println(
          ctx.io,
          table(
            ["ID", "VENDOR", "GOAL", "STATUS", "MAX SPEND", "CREATED"],
            page.data.map((j) => [
              j.id,
              j.vendor,
              j.goal,
              j.status,
              formatMoney(j.maxSpend.amount, j.maxSpend.currency),
              j.createdAt,
            ]),
          ),
        );
        if (page.nextCursor) println(ctx.io, `\nMore: fg jobs list --cursor ${page.nextCursor}`);
      },
    ),
  );

  jsonOption(
    jobs.command("status").description("Show a job: status, steps, spend, credentials").argument("<job-id>"),
  ).action(
    action(ctx, async (id: string, options: JsonOption) => {
      const client = ctx.client();
      const job = await client.getJob(id);
      printJob(ctx, job, await jobCredentials(client, job), Boolean(options.json));
    }),
  );

  jsonOption(
    jobs
      .command("watch")
      .description("Follow a job's events until it ends; exits non-zero unless it succeeded")
      .argument("<job-id>"),
  ).action(
    action(ctx, async (id: string, options: JsonOption) => {
      const client = ctx.client();
      const job = await watchJob(ctx, client, id, Boolean(options.json));
      return reportFinished(ctx, job, await jobCredentials(client, job), Boolean(options.json));
    }),
  );

  jsonOption(
    jobs
      .command("cancel")
      .description("Cancel a running job; what was not spent is refunded")
      .argument("<job-id>"),
  ).action(
    action(ctx, async (id: string, options: JsonOption) => {
      const job = await ctx.client().cancelJob(id);
      if (options.json) return printJson(ctx.io, job);
      println(ctx.io, `Canceled ${job.id}; money not spent is refunded as the job winds down.`);
    }),
  );

  jsonOption(
    jobs
      .command("approve")
      .description("Approve a job waiting above the approval threshold")
      .argument("<job-id>"),
  ).action(
    action(ctx, async (id: string, options: JsonOption) => {
      const job = await ctx.client().approveJob(id);
      if (options.json) return printJson(ctx.io, job);
      println(ctx.io, `Approved ${job.id}; it is now ${job.status}.`);
    }),
  );
}

export function limit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw usage("--limit must be a whole number from 1 to 100");
  return n;
}
