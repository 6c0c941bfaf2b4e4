import type { Command } from "commander";
import { action, type Context, type JsonOption, jsonOption } from "../context.ts";
import { usage } from "../errors.ts";
import { formatMoney, parseAmount, parseCurrency } from "../money.ts";
import { printJson, println, table } from "../output.ts";
import type { PolicyInfo } from "../types.ts";

interface PolicySetOptions extends JsonOption {
  perJobCap?: string;
  dailyCap?: string;
  monthlyCap?: string;
  approvalThreshold?: string;
  currency?: string;
  allowVendors?: string;
  allowAllVendors?: boolean;
  allowRecurring?: boolean;
  retentionDays?: string;
}

/** Policy, cards on file, vendors and the ledger: the account-level commands. */
export function registerAccount(program: Command, ctx: Context): void {
  const policy = program.command("policy").description("Show or change the spending policy");

  jsonOption(policy.command("get").description("Show the spending policy")).action(
    action(ctx, async (options: JsonOption) => {
      const current = await ctx.client().getPolicy();
      if (options.json) return printJson(ctx.io, current);
      println(ctx.io, policyText(current));
    }),
  );

  jsonOption(
    policy
      .command("set")
      .description("Change some policy fields; amounts in major units (20 = $20.00)")
      .option("--per-job-cap <amount>", "the most one job may spend")
      .option("--daily-cap <amount>", "the most all jobs may spend in a day")
      .option("--monthly-cap <amount>", "the most all jobs may spend in a month")
      .option("--approval-threshold <amount>", "jobs above this wait for `fg jobs approve`")
      .option("--currency <currency>", "usd, eur or gbp")
      .option("--allow-vendors <slugs>", "comma-separated vendors jobs may use")
      .option("--allow-all-vendors", "remove the vendor allowlist")
      .option("--allow-recurring", "let subscriptions renew on the card on file")
      .option("--no-allow-recurring", "stop subscriptions from renewing")
      .option("--retention-days <days>", "how long finished jobs and events are kept"),
  ).action(
    action(ctx, async (options: PolicySetOptions) => {
      if (options.allowVendors && options.allowAllVendors)
        throw usage("use --allow-vendors or --allow-all-vendors, not both");
      const update: Partial<PolicyInfo> = {};
      if (options.perJobCap !== undefined) update.perJobCap = parseAmount(options.perJobCap, "--per-job-cap");
      if (options.dailyCap !== undefined) update.dailyCap = parseAmount(options.dailyCap, "--daily-cap");
      if (options.monthlyCap !== undefined)
        update.monthlyCap = parseAmount(options.monthlyCap, "--monthly-cap");
      if (options.approvalThreshold !== undefined) {
        update.approvalThreshold = parseAmount(options.approvalThreshold, "--approval-threshold");
      }
      if (options.currency !== undefined) update.currency = parseCurrency(options.currency);
      if (options.allowVendors !== undefined) {
        update.vendorAllowlist = options.allowVendors
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean);
      }
      if (options.allowAllVendors) update.vendorAllowlist = null;
      if (options.allowRecurring !== undefined) update.allowRecurring = options.allowRecurring;
      if (options.retentionDays !== undefined) {
        const days = Number(options.retentionDays);
        if (!Number.isInteger(days) || days < 1)
          throw usage("--retention-days must be a whole number of days");
        update.retentionDays = days;
      }
      if (Object.keys(update).length === 0) throw usage("nothing to change; see fg policy set --help");
      const next = await ctx.client().putPolicy(update);
      if (options.json) return printJson(ctx.io, next);
      println(ctx.io, policyText(next));
    }),
  );

  const cards = program.command("cards").description("The card on file that jobs charge");

  jsonOption(
    cards
      .command("add")
      .description(
        "Put a card on file (sandbox: a test method such as pm_card_visa; Stripe: a setup to finish)",
      )
      .option("--payment-method <id>", "a payment method id (sandbox test methods: pm_card_visa, …)"),
  ).action(
    action(ctx, async (options: JsonOption & { paymentMethod?: string }) => {
      const setup = await ctx.client().addCard(options.paymentMethod);
      if (options.json) return printJson(ctx.io, setup);
      if (setup.clientSecret) {
        println(
          ctx.io,
          `Setup ${setup.id} is ${setup.status}: finish it in a browser with Stripe.js (client secret in --json output).`,
        );
      } else {
        println(ctx.io, `Card on file: ${setup.paymentMethodId ?? setup.id} (${setup.status}).`);
      }
    }),
  );

  jsonOption(cards.command("list").description("List cards on file")).action(
    action(ctx, async (options: JsonOption) => {
      const page = await ctx.client().listCards();
      if (options.json) return printJson(ctx.io, page);
      if (page.data.length === 0) return println(ctx.io, "No card on file: fg cards add");
      println(
        ctx.io,
        table(
          ["ID", "BRAND", "LAST4", "EXPIRES", "DEFAULT"],
          page.data.map((c) => [
            c.id,
            c.brand,
            c.last4,
            `${String(c.expMonth).padStart(2, "0")}/${c.expYear}`,
            c.isDefault ? "yes" : "",
          ]),
        ),
      );
    }),
  );

  jsonOption(program.command("vendors").description("Vendors fg has skills for: goals and plans")).action(
    action(ctx, async (options: JsonOption) => {
      const page = await ctx.client().listVendors();
      if (options.json) return printJson(ctx.io, page);
      println(
        ctx.io,
        table(
          ["VENDOR", "NAME", "GOALS", "PLANS"],
          page.data.map((v) => [
            v.slug,
            v.name,
            v.goals.join(", "),
            v.plans
              .map(
                (p) =>
                  `${p.id} ${p.amount === 0 ? "free" : `${formatMoney(p.amount, p.currency)}${p.interval ? `/${p.interval}` : ""}`}`,
              )
              .join(", "),
          ]),
        ),
      );
      println(ctx.io, "\nAny other vendor: fg provision https://vendor.example.com (generic skill)");
    }),
  );

  jsonOption(
    program
      .command("ledger")
      .description("Every money movement of the account, oldest first")
      .option("--job <job-id>", "only this job's entries")
      .option("--verify", "recompute the hash chain instead"),
  ).action(
    action(ctx, async (options: JsonOption & { job?: string; verify?: boolean }) => {
      const client = ctx.client();
      if (options.verify) {
        const result = await client.verifyLedger();
        if (options.json) return printJson(ctx.io, result);
        println(
          ctx.io,
          result.valid
            ? `Ledger chain valid (${result.entries} entries).`
            : `Ledger chain BROKEN at entry ${result.brokenAt} of ${result.entries}.`,
        );
        return result.valid ? 0 : 1;
      }
      const page = await client.ledger(options.job);
      if (options.json) return printJson(ctx.io, page);
      if (page.data.length === 0) return println(ctx.io, "No ledger entries.");
      println(
        ctx.io,
        table(
          ["SEQ", "AT", "KIND", "JOB", "AMOUNT", "MEMO"],
          page.data.map((e) => [e.seq, e.at, e.kind, e.jobId, formatMoney(e.amount, e.currency), e.memo]),
        ),
      );
    }),
  );
}

function policyText(p: PolicyInfo): string {
  const money = (cents: number) => formatMoney(cents, p.currency);
  return [
    `Vendors             ${p.vendorAllowlist ? p.vendorAllowlist.join(", ") || "(none)" : "any"}`,
    `Per-job cap         ${money(p.perJobCap)}`,
    `Daily cap           ${money(p.dailyCap)}`,
    `Monthly cap         ${money(p.monthlyCap)}`,
    `Approval above      ${money(p.approvalThreshold)}`,
    `Recurring charges   ${p.allowRecurring ? "allowed" : "not allowed"}`,
    `Retention           ${p.retentionDays} days`,
  ].join("\n");
}
