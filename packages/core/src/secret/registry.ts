import { z } from "zod";
import { VisibleError } from "../util/error.ts";
import { MIN_REDACTED_LENGTH, patternsFor } from "./patterns.ts";

export const SecretName = z.enum([
  "CARD_NUMBER",
  "CARD_EXPIRY",
  "CARD_CVC",
  "CARDHOLDER_NAME",
  "EMAIL",
  "PASSWORD",
  "VERIFICATION_CODE",
  "VERIFICATION_LINK",
  "EXTRACTED_KEY",
  "API_KEY",
  "TOTP_SEED",
  "SESSION_STATE",
  "SECRET",
]);
export type SecretName = z.infer<typeof SecretName>;

const REFERENCE = /\{\{([A-Za-z0-9_]+)\}\}/g;

/** Bumped on every change to any registry, so combined redactors know when to recompile. */
export const generation = { value: 0 };

export interface Redactor {
  redact(text: string): string;
}

const identity: Redactor = { redact: (text) => text };

/** One regex over every form of every value; longer forms first so the longest secret wins. */
export function compileRedactor(entries: Iterable<readonly [string, SecretName]>): Redactor {
  const alternatives: { source: string; weight: number; name: SecretName }[] = [];
  for (const [value, name] of entries) {
    for (const pattern of patternsFor(value)) alternatives.push({ ...pattern, name });
  }
  if (alternatives.length === 0) return identity;
  alternatives.sort((a, b) => b.weight - a.weight);
  const regex = new RegExp(alternatives.map((a) => `(${a.source})`).join("|"), "g");
  return {
    redact(text) {
      return text.replace(regex, (...args: unknown[]) => {
        const index = args.slice(1, alternatives.length + 1).findIndex((group) => group !== undefined);
        return `{{${alternatives[index]?.name ?? "SECRET"}}}`;
      });
    },
  };
}

/** Rewrites every string (and object key) in a JSON-like value; errors become plain objects. */
export function redactValue<T>(value: T, redact: (text: string) => string): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return "[Circular]";
    seen.add(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Error) {
      const { name, message, stack, cause, ...rest } = v as Error & Record<string, unknown>;
      return walk({ name, message, stack, ...rest, ...(cause === undefined ? {} : { cause }) });
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [redact(k), walk(item)]));
  };
  return walk(value) as T;
}

/** The secret values one job (or the process) handles, by name. */
export class SecretRegistry {
  readonly #values = new Map<SecretName, string>();
  readonly #redacted = new Map<string, SecretName>();
  #compiled: Redactor | undefined;

  register(name: SecretName, value: string): void {
    SecretName.parse(name);
    if (typeof value !== "string" || value.length === 0) return;
    this.#values.set(name, value);
    if (value.length < MIN_REDACTED_LENGTH || this.#redacted.get(value) === name) return;
    this.#redacted.set(value, name);
    this.#compiled = undefined;
    generation.value++;
  }

  value(name: SecretName): string | undefined {
    return this.#values.get(name);
  }

  /** Replaces every {{NAME}} with its value; only the tool layer that types into a page calls this. */
  resolve(text: string): string {
    return text.replace(REFERENCE, (_match, name: string) => {
      const parsed = SecretName.safeParse(name);
      const value = parsed.success ? this.#values.get(parsed.data) : undefined;
      if (value === undefined) {
        throw new VisibleError(
          "input",
          "secret.unknown_reference",
          `Unknown secret reference {{${name}}}: no such secret is registered for this job`,
        );
      }
      return value;
    });
  }

  redact(text: string): string {
    this.#compiled ??= compileRedactor(this.#redacted);
    return this.#compiled.redact(text);
  }

  redactDeep<T>(value: T): T {
    return redactValue(value, (text) => this.redact(text));
  }

  /** The values long enough to redact, for combining registries. */
  entries(): Iterable<readonly [string, SecretName]> {
    return this.#redacted.entries();
  }

  get size(): number {
    return this.#redacted.size;
  }
}
