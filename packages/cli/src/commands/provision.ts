import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import type { CreateJobInput } from "../client.ts";
import { action, type Context, type JsonOption, jsonOption } from "../context.ts";
import { usage } from "../errors.ts";
import { formatMoney, parseAmount, parseCurrency } from "../money.ts";
import { jobSummary, printJson, println } from "../output.ts";
import type { JobGoal } from "../types.ts";
import { jobCredentials, reportFinished, watchJob } from "../watch.ts";

const GOALS: Record<string, JobGoal> = {
  account: "account",
  api_key: "api_key",
  "api-key": "api_key",
  apikey: "api_key",
  key: "api_key",
  subscription: "subscription",
};

interface ProvisionOptions extends JsonOption {
  goal: string;
  maxSpend?: string;
  plan?: string;
  currency: string;
  wait: boolean;
  idempotencyKey?: string;
}

export function registerProvision(program: Command, ctx: Context): void {
  jsonOption(
    program
      .command("provision")
      .description("Start a provisioning job at a vendor and follow it until it ends")
      .argument("<vendor>", "a known vendor slug (see `fg vendors`) or an https:// URL")
      .addOption(new Option("--goal <goal>", "account, api-key or subscription").default("api-key"))
      .option(
        "--max-spend <amount>",
        "the most fg may charge, in major units (20 = $20.00); default: the plan's price, or 0",
      )
      .option("--plan <plan>", "the vendor's plan id (see `fg vendors`)")
      .addOption(new Option("--currency <currency>", "usd, eur or gbp").default("usd"))
      .option("--no-wait", "print the job id and return at once instead of following it")
      .option("--idempotency-key <key>", "reuse to retry safely: the same key never starts a second job"),
  ).action(
    action(ctx, async (vendor: string, options: ProvisionOptions) => {
      const goal = GOALS[options.goal.toLowerCase()];
      if (!goal) throw usage(`--goal must be account, api-key or subscription (got "${options.goal}")`);
      const client = ctx.client();
      const currency = parseCurrency(options.currency);
      const amount =
        options.maxSpend !== undefined
          ? parseAmount(options.maxSpend, "--max-spend")
          : await planPrice(ctx, vendor, options.plan);
      const input: CreateJobInput = {
        vendor,
        goal,
        ...(options.plan ? { plan: options.plan } : {}),
        maxSpend: { amount, currency },
      };
      const job = await client.createJob(input, options.idempotencyKey ?? randomUUID());
      if (!options.wait) {
        if (options.json) return printJson(ctx.io, { job, credentials: [] });
        println(ctx.io, jobSummary(job));
        println(ctx.io, "");
        println(ctx.io, `Follow it with: fg jobs watch ${job.id}`);
        return 0;
      }
      if (!options.json) {
        ctx.io.stderr.write(
          `Started ${job.id}: ${goal.replace("_", " ")} at ${vendor}${options.plan ? ` (plan ${options.plan})` : ""}, max spend ${formatMoney(amount, currency)}\n`,
        );
      }
      const finished = await watchJob(ctx, client, job.id, Boolean(options.json));
      return reportFinished(ctx, finished, await jobCredentials(client, finished), Boolean(options.json));
    }),
  );

  async function planPrice(ctx: Context, vendor: string, plan: string | undefined): Promise<number> {
    if (!plan) return 0;
    const vendors = await ctx.client().listVendors();
    const known = vendors.data.find((v) => v.slug === vendor);
    if (!known) throw usage(`give --max-spend: fg does not know the price of plan "${plan}" at ${vendor}`);
    const found = known.plans.find((p) => p.id === plan);
    if (!found) {
      const plans = known.plans.map((p) => `${p.id} (${formatMoney(p.amount, p.currency)})`).join(", ");
      throw usage(`${vendor} has no plan "${plan}"; its plans: ${plans}`);
    }
    return found.amount;
  }
}
