import type { Command } from "commander";
import { action, type Context, type JsonOption, jsonOption } from "../context.ts";
import { assertVariableName, defaultVariableName, writeEnvVariable } from "../env-file.ts";
import { CliError, usage } from "../errors.ts";
import { printJson, println } from "../output.ts";
import { confirm } from "../prompt.ts";
import { credentialTable } from "../watch.ts";
import { limit } from "./jobs.ts";

interface GetOptions extends JsonOption {
  envFile?: string;
  dotenv?: string;
  var?: string;
  reveal?: boolean;
  reason?: string;
}

export function registerCredentials(program: Command, ctx: Context): void {
  const credentials = program
    .command("credentials")
    .description("List credentials, write one into an env file, or delete one");

  jsonOption(
    credentials
      .command("list")
      .description("List credentials (metadata only), newest first")
      .option("--vendor <vendor>", "only this vendor's")
      .option("--job <job-id>", "only those a job produced")
      .option("--limit <n>", "how many (1-100)", "20")
      .option("--cursor <cursor>", "continue a previous listing"),
  ).action(
    action(
      ctx,
      async (options: JsonOption & { vendor?: string; job?: string; limit: string; cursor?: string }) => {
        const page = await ctx.client().listCredentials({
          vendor: options.vendor,
          jobId: options.job,
          limit: limit(options.limit),
          cursor: options.cursor,
        });
        if (options.json) return printJson(ctx.io, page);
        if (page.data.length === 0) return println(ctx.io, "No credentials.");
        println(ctx.io, credentialTable(page.data));
        if (page.nextCursor) println(ctx.io, `\nMore: fg credentials list --cursor ${page.nextCursor}`);
      },
    ),
  );

  jsonOption(
    credentials
      .command("get")
      .description("Write a credential into an env file (never printed), or print it with --reveal")
      .argument("<credential-id>")
      .option("--env-file <file>", "create or update NAME=value in this file (e.g. .env)")
      .option(
        "--dotenv <file>",
        "same as --env-file; use this one through npx on Node 20 (node itself grabs --env-file)",
      )
      .option("--var <name>", "the variable name (default: from vendor and kind, e.g. NIMBUS_DB_API_KEY)")
      .option("--reveal", "print the value on stdout")
      .option("--reason <text>", "why you need it, for the audit log"),
  ).action(
    action(ctx, async (id: string, options: GetOptions) => {
      if (options.envFile && options.dotenv) throw usage("--dotenv is another name for --env-file; give one");
      options.envFile ??= options.dotenv;
      if (options.var && !options.envFile)
        throw usage("--var names the variable written by --env-file; add --env-file .env");
      if (options.reveal && options.envFile) throw usage("use either --env-file or --reveal, not both");
      if (options.var) assertVariableName(options.var);
      const client = ctx.client();
      if (options.envFile) {
        const credential = await client.getCredential(id);
        const variable = options.var ?? defaultVariableName(credential);
        const { value } = await client.revealCredential(
          id,
          options.reason ?? `fg credentials get --env-file (${variable})`,
        );
        const written = writeEnvVariable(options.envFile, variable, value);
        const result = { id, variable, file: written.file, created: written.created };
        if (options.json) return printJson(ctx.io, result);
        println(
          ctx.io,
          `${written.created ? "Created" : "Updated"} ${written.file}: set ${variable} (value not shown)`,
        );
        return;
      }
      if (options.reveal) {
        const { value } = await client.revealCredential(id, options.reason ?? "fg credentials get --reveal");
        if (options.json) return printJson(ctx.io, { id, value });
        ctx.io.stdout.write(`${value}\n`);
        return;
      }
      const credential = await client.getCredential(id);
      if (options.json) return printJson(ctx.io, credential);
      println(ctx.io, credentialTable([credential]));
      println(
        ctx.io,
        `\nWrite it into a file: fg credentials get ${id} --env-file .env [--var ${defaultVariableName(credential)}]`,
      );
    }),
  );

  jsonOption(
    credentials
      .command("delete")
      .description("Delete a credential and its vault secret")
      .argument("<credential-id>")
      .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)"),
  ).action(
    action(ctx, async (id: string, options: JsonOption & { yes?: boolean }) => {
      if (!options.yes && !(await confirm(`Delete ${id} and its secret? This cannot be undone.`))) {
        throw new CliError(
          "Not deleted",
          process.stdin.isTTY ? "Nothing was changed" : "Pass --yes to delete without a prompt",
        );
      }
      await ctx.client().deleteCredential(id);
      if (options.json) return printJson(ctx.io, { id, deleted: true });
      println(ctx.io, `Deleted ${id}.`);
    }),
  );
}
