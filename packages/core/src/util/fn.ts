import type { z } from "zod";
import { VisibleError } from "./error.ts";

export type Fn<S extends z.ZodType, R> = ((input: z.input<S>) => R) & { schema: S };

/** Wraps an operation so every caller (API, queue, workflow, CLI) validates the same way, once. */
export function fn<S extends z.ZodType, R>(schema: S, cb: (input: z.output<S>) => R): Fn<S, R> {
  const run = (input: z.input<S>) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw VisibleError.fromZod(parsed.error);
    return cb(parsed.data);
  };
  return Object.assign(run, { schema });
}
