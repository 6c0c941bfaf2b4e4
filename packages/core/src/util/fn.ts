import type { z } from "zod";
import { VisibleError } from "./error.ts";

export type Fn<S extends z.ZodType, R> = ((input: z.input<S>) => Promise<Awaited<R>>) & { schema: S };

/**
 * Wraps an operation so every caller (API, queue, workflow, CLI) validates the same way, once.
 * Always async, so bad input surfaces as a rejection like every other failure.
 */
export function fn<S extends z.ZodType, R>(schema: S, cb: (input: z.output<S>) => R): Fn<S, R> {
  const run = async (input: z.input<S>): Promise<Awaited<R>> => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw VisibleError.fromZod(parsed.error);
    return await cb(parsed.data);
  };
  return Object.assign(run, { schema });
}
