import type { z } from "zod";

export type ErrorKind =
  | "input"
  | "auth"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "payment";

export interface FieldError {
  path: string;
  message: string;
}

/** A failure the caller may see verbatim. Its message must never contain a secret value. */
export class VisibleError extends Error {
  override readonly name = "VisibleError";
  readonly errors?: FieldError[];

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { errors?: FieldError[]; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.errors) this.errors = options.errors;
  }

  static fromZod(error: z.ZodError, code = "validation"): VisibleError {
    const errors = error.issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(root)",
      message: issue.message,
    }));
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return new VisibleError("input", code, `Invalid input: ${detail}`, { errors });
  }
}

export function isVisibleError(error: unknown): error is VisibleError {
  return error instanceof VisibleError;
}
