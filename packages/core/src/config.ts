import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const Schema = z.object({
  FG_STAGE: z.string().min(1).default("local"),
  FG_TABLE: z.string().min(1).default("fg-local"),
  FG_DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  FG_HOME: z.string().min(1).default(path.join(repoRoot, ".fg")),
  FG_LOG_LEVEL: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO"),
  FG_JOB_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
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
