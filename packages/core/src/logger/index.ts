import { Logger } from "@aws-lambda-powertools/logger";
import { Config } from "../config.ts";
import { Secrets } from "../secret/index.ts";
import { isVisibleError } from "../util/error.ts";

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  kind?: string;
  stack?: string;
  cause?: SerializedError | unknown;
  [key: string]: unknown;
}

/**
 * A plain, redacted copy of an error for logs, events and error bodies: message, stack, cause
 * chain and any own fields pass through the secret redactor.
 */
export function serializeError(error: unknown, options: { stack?: boolean } = {}): SerializedError {
  const withStack = options.stack ?? true;
  const seen = new WeakSet<object>();
  const walk = (e: unknown, depth: number): SerializedError | unknown => {
    if (!(e instanceof Error)) return e;
    if (seen.has(e) || depth > 8) return { name: "Error", message: "[Circular]" };
    seen.add(e);
    const { name, message, stack, cause, ...rest } = e as Error & Record<string, unknown>;
    return {
      ...rest,
      name,
      message,
      ...(isVisibleError(e) ? { kind: e.kind, code: e.code } : {}),
      ...(withStack && stack ? { stack } : {}),
      ...(cause === undefined ? {} : { cause: walk(cause, depth + 1) }),
    };
  };
  const serialized = error instanceof Error ? walk(error, 0) : { name: "NonError", message: String(error) };
  return Secrets.redactDeep(serialized) as SerializedError;
}

// Powertools hands every value of a log line, including each Error's formatted message, stack and
// cause, to this replacer before JSON.stringify writes it, so no string reaches the output unredacted.
const redactingReplacer = (_key: string, value: unknown): unknown =>
  typeof value === "string" ? Secrets.redact(value) : value;

/** Structured JSON logger (Powertools; works outside Lambda too). Every line is redacted. */
export const log = new Logger({
  serviceName: "fg",
  logLevel: Config.get().FG_LOG_LEVEL,
  jsonReplacerFn: redactingReplacer,
});
