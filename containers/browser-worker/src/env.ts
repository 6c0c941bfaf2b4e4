import { z } from "zod";

/** How the worker process ends; the local runner and ECS see these. */
export const ExitCode = {
  /** A result (succeeded, failed or needs_human) was reported. */
  reported: 0,
  /** An unexpected error; Worker.Crashed was reported when the task still waited. */
  crashed: 1,
  /** JOB_ID, ACCOUNT_ID or TASK_TOKEN is missing or malformed; nothing was reported. */
  badEnvironment: 2,
  /** The job was canceled; Job.Canceled was reported. */
  canceled: 3,
  /** The workflow no longer waits for this task (timed out, finished elsewhere); nothing was reported. */
  taskGone: 4,
} as const;

// The id shapes of packages/core/src/util/id.ts, repeated so this check runs before any fg module loads.
const ulid = "[0-9A-HJKMNP-TV-Z]{26}";

const Schema = z.object({
  JOB_ID: z.string().regex(new RegExp(`^job_${ulid}$`), "must be a job_ id"),
  ACCOUNT_ID: z.string().regex(new RegExp(`^acct_${ulid}$`), "must be an acct_ id"),
  TASK_TOKEN: z.string().min(1).max(8192),
  FG_HEARTBEAT_SECONDS: z.coerce.number().positive().max(3600).default(30),
});

export interface WorkerEnv {
  jobId: string;
  accountId: string;
  taskToken: string;
  heartbeatSeconds: number;
}

/** The worker's environment contract, or one line saying what is wrong with it (never echoing values). */
export function readWorkerEnv(
  env: NodeJS.ProcessEnv,
): { ok: true; env: WorkerEnv } | { ok: false; error: string } {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const missing = (["JOB_ID", "ACCOUNT_ID", "TASK_TOKEN"] as const).filter((name) => !(name in present));
  if (missing.length > 0) {
    return {
      ok: false,
      error: `browser worker: missing environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
    };
  }
  const parsed = Schema.safeParse(present);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    return { ok: false, error: `browser worker: invalid environment: ${detail}` };
  }
  return {
    ok: true,
    env: {
      jobId: parsed.data.JOB_ID,
      accountId: parsed.data.ACCOUNT_ID,
      taskToken: parsed.data.TASK_TOKEN,
      heartbeatSeconds: parsed.data.FG_HEARTBEAT_SECONDS,
    },
  };
}
