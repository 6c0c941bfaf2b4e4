import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

// fg targets Node 20 on purpose; the AWS SDK's per-client upgrade notice would drown progress output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const Schema = z.object({
  FG_STAGE: z.string().min(1).default("local"),
  FG_TABLE: z.string().min(1).default("fg-local"),
  FG_DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  FG_HOME: z.string().min(1).default(path.join(repoRoot, ".fg")),
  FG_LOG_LEVEL: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO"),
  FG_JOB_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  FG_INBOX_DOMAIN: z.string().min(3).default("inbox.fg.test"),
});

export type Config = z.infer<typeof Schema>;

export namespace Config {
  /** Read on every call: the local runtime and tests set the environment after modules load. */
  export function get(): Config {
    const parsed = Schema.safeParse(process.env);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid fg configuration in environment: ${detail}`);
    }
    return parsed.data;
  }

  export const root = repoRoot;
}
