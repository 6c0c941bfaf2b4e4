import type { Command } from "commander";
import { FgClient } from "../client.ts";
import { keyPrefix, writeConfig } from "../config.ts";
import { action, type Context, type JsonOption, jsonOption } from "../context.ts";
import { ApiError, CliError, usage } from "../errors.ts";
import { printJson, println } from "../output.ts";
import { readSecretLine } from "../prompt.ts";

const KEY_FORMAT = /^fg_sk_[\x21-\x7e]{16,500}$/;

export function registerAuth(program: Command, ctx: Context): void {
  const auth = program.command("auth").description("Sign up, sign in and check the configured API key");

  jsonOption(
    auth
      .command("signup")
      .description("Create an account and save its first API key in the config file")
      .requiredOption("--email <email>", "the account's email address")
      .option(
        "--api-url <url>",
        "the fg API to sign up with (default: FG_API_URL, the config, or the local runtime)",
      ),
  ).action(
    action(ctx, async (options: JsonOption & { email: string; apiUrl?: string }) => {
      const apiUrl = options.apiUrl ?? ctx.config().apiUrl;
      const result = await new FgClient({ apiUrl }).signup(options.email);
      writeConfig(
        { apiUrl, apiKey: result.apiKey.secret, accountId: result.account.id, email: result.account.email },
        ctx.config().path,
      );
      const summary = {
        account: result.account,
        apiKey: { id: result.apiKey.id, prefix: result.apiKey.prefix },
        apiUrl,
        configPath: ctx.config().path,
      };
      if (options.json) return printJson(ctx.io, summary);
      println(ctx.io, `Signed up as ${result.account.email} (${result.account.id}).`);
      println(ctx.io, `API key ${keyPrefix(result.apiKey.secret)} saved to ${ctx.config().path}`);
      warnIfEnvKey(ctx);
    }),
  );

  jsonOption(
    auth
      .command("login")
      .description("Save an existing API key (read from stdin, or prompted for on a terminal)")
      .option("--api-key <key>", "the key (prefer stdin: a flag shows up in `ps` and shell history)")
      .option("--api-url <url>", "the fg API this key belongs to"),
  ).action(
    action(ctx, async (options: JsonOption & { apiKey?: string; apiUrl?: string }) => {
      const apiUrl = options.apiUrl ?? ctx.config().apiUrl;
      const apiKey = (options.apiKey ?? (await readSecretLine("API key: "))).trim();
      if (!KEY_FORMAT.test(apiKey)) throw usage("that does not look like an fg API key (fg_sk_…)");
      const client = new FgClient({ apiUrl, apiKey });
      try {
        await client.listVendors();
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 403)) throw error;
      }
      writeConfig({ apiUrl, apiKey }, ctx.config().path);
      const summary = { apiUrl, apiKey: { prefix: keyPrefix(apiKey) }, configPath: ctx.config().path };
      if (options.json) return printJson(ctx.io, summary);
      println(ctx.io, `API key ${keyPrefix(apiKey)} works with ${apiUrl}; saved to ${ctx.config().path}`);
      warnIfEnvKey(ctx);
    }),
  );

  jsonOption(
    auth.command("status").description("Show which API and key are in use, and whether the key works"),
  ).action(
    action(ctx, async (options: JsonOption) => {
      const config = ctx.config();
      if (!config.apiKey) {
        throw new CliError(
          "Not signed in",
          "Run `fg auth signup --email you@example.com` or `fg auth login`",
        );
      }
      const client = ctx.client();
      let key: { name: string; scopes: string[]; lastUsedAt: string | null } | undefined;
      try {
        const keys = await client.listApiKeys();
        const prefix = config.apiKey.slice(0, "fg_sk_".length + 8);
        key = keys.data.find((k) => k.prefix === prefix);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 403)) throw error;
        await client.listVendors();
      }
      const status = {
        apiUrl: config.apiUrl,
        apiUrlSource: config.sources.apiUrl,
        apiKey: {
          prefix: keyPrefix(config.apiKey),
          source: config.sources.apiKey,
          ...(key ? { name: key.name, scopes: key.scopes } : {}),
        },
        account: config.stored.accountId
          ? { id: config.stored.accountId, email: config.stored.email ?? null }
          : null,
        configPath: config.path,
        valid: true,
      };
      if (options.json) return printJson(ctx.io, status);
      println(ctx.io, `API      ${status.apiUrl} (from ${status.apiUrlSource})`);
      println(
        ctx.io,
        `Key      ${status.apiKey.prefix} (from ${status.apiKey.source})${key ? ` "${key.name}", scopes ${key.scopes.join(" ")}` : ""}`,
      );
      if (status.account)
        println(ctx.io, `Account  ${status.account.email ?? ""} ${status.account.id}`.replace("  ", " "));
      println(ctx.io, `Config   ${status.configPath}`);
      println(ctx.io, "The key works.");
    }),
  );

  jsonOption(auth.command("logout").description("Remove the API key from the config file")).action(
    action(ctx, async (options: JsonOption) => {
      const { apiUrl } = ctx.config().stored;
      writeConfig(
        { apiKey: undefined, accountId: undefined, email: undefined, ...(apiUrl ? { apiUrl } : {}) },
        ctx.config().path,
      );
      if (options.json) return printJson(ctx.io, { loggedOut: true, configPath: ctx.config().path });
      println(ctx.io, `Removed the API key from ${ctx.config().path}`);
      warnIfEnvKey(ctx);
    }),
  );
}

function warnIfEnvKey(ctx: Context): void {
  if (ctx.config().sources.apiKey === "env") {
    ctx.io.stderr.write("Note: FG_API_KEY is set and takes precedence over the config file.\n");
  }
}
