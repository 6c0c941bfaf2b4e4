import type { FgClient } from "./client.ts";
import type { Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { followJob } from "./events.ts";
import { formatMoney } from "./money.ts";
import { jobSummary, printJson, println, table } from "./output.ts";
import { createProgress } from "./progress.ts";
import type { CredentialInfo, JobInfo } from "./types.ts";

/** Follows a job to its end with live progress; Ctrl-C stops watching, not the job. */
export async function watchJob(
  ctx: Context,
  client: FgClient,
  jobId: string,
  json: boolean,
): Promise<JobInfo> {
  const progress = createProgress(ctx.io, { json, jobId });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  try {
    return await followJob(client, jobId, {
      signal: abort.signal,
      onEvent: (event) => progress.event(event),
      onReconnect: (info) => progress.reconnecting(info),
    });
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 130) {
      throw new CliError(
        "Stopped watching",
        `The job keeps running; follow it again with: fg jobs watch ${jobId}`,
        130,
      );
    }
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
    progress.stop();
  }
}

/** The credentials a job produced: those the job lists, plus any stored under its id. */
export async function jobCredentials(client: FgClient, job: JobInfo): Promise<CredentialInfo[]> {
  const found = new Map<string, CredentialInfo>();
  let cursor: string | undefined;
  do {
    const page = await client.listCredentials({ jobId: job.id, limit: 100, cursor });
    for (const credential of page.data) found.set(credential.id, credential);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  for (const id of job.credentialIds) {
    if (!found.has(id)) found.set(id, await client.getCredential(id));
  }
  return [...found.values()];
}

const OUTCOME: Record<string, string> = {
  failed: "Job failed",
  canceled: "Job canceled",
  needs_human: "Job needs a human",
};

/** Prints how a finished job ended; non-zero (with the failure's title and detail) unless it succeeded. */
export function reportFinished(
  ctx: Context,
  job: JobInfo,
  credentials: CredentialInfo[],
  json: boolean,
): number {
  const failure =
    job.status === "succeeded"
      ? undefined
      : new CliError(
          OUTCOME[job.status] ?? `Job ended as ${job.status}`,
          job.failure ? `${job.failure.message} (${job.failure.code})` : `${job.id} ended as ${job.status}`,
        );
  if (json) {
    printJson(ctx.io, { job, credentials, ...(failure ? { error: failure.toJSON() } : {}) });
    return failure ? failure.exitCode : 0;
  }
  if (failure) {
    ctx.io.stderr.write(`Error: ${failure.title}\n${failure.detail}\n`);
    if (job.spend.refunded > 0) {
      ctx.io.stderr.write(
        `Refunded ${formatMoney(job.spend.refunded, job.spend.currency)} to the card on file.\n`,
      );
    }
    return failure.exitCode;
  }
  println(ctx.io, `✓ ${job.vendor}: ${job.goal.replace("_", " ")} ready (job ${job.id})`);
  if (job.spend.captured > 0) {
    println(
      ctx.io,
      `Spent ${formatMoney(job.spend.spent, job.spend.currency)}, refunded ${formatMoney(job.spend.refunded, job.spend.currency)}.`,
    );
  }
  if (credentials.length > 0) {
    println(ctx.io, "");
    println(ctx.io, credentialTable(credentials));
    const first = credentials[0] as CredentialInfo;
    println(ctx.io, "");
    println(ctx.io, `Write it into your project: fg credentials get ${first.id} --env-file .env`);
  }
  return 0;
}

export function credentialTable(credentials: CredentialInfo[]): string {
  return table(
    ["ID", "VENDOR", "KIND", "LABEL", "JOB", "CREATED"],
    credentials.map((c) => [c.id, c.vendor, c.kind, c.label, c.jobId, c.createdAt]),
  );
}

export function printJob(ctx: Context, job: JobInfo, credentials: CredentialInfo[], json: boolean): void {
  if (json) {
    printJson(ctx.io, { job, credentials });
    return;
  }
  println(ctx.io, jobSummary(job));
  if (credentials.length > 0) {
    println(ctx.io, "Credentials");
    for (const c of credentials) println(ctx.io, `  ${c.id}  ${c.kind}  ${c.label}`);
  }
}
