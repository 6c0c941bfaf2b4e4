import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Audit } from "../audit/index.ts";
import { type SecretName, Secrets } from "../secret/index.ts";
import { VisibleError } from "../util/error.ts";
import { Id } from "../util/id.ts";

const MAX_VALUE_BYTES = 65_536; // Secrets Manager's SecretString limit, enforced for every adapter
export const CARD_DEFAULT_TTL_SECONDS = 24 * 3600;

export const Kind = z.enum(["api_key", "password", "totp_seed", "card", "session_state", "other"]);
export type Kind = z.infer<typeof Kind>;

export const Ref = Id.schema("secret");

export const PutInput = z
  .object({
    kind: Kind,
    value: z
      .string()
      .min(1)
      .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_VALUE_BYTES, "must be at most 64 KiB"),
    vendor: z.string().min(1).max(2048).optional(),
    jobId: Id.schema("job").optional(),
    label: z.string().trim().min(1).max(200).optional(),
    expiresAt: z.number().int().positive().optional(),
  })
  .strict()
  .refine((input) => input.kind !== "card" || input.jobId, {
    message: "card secrets are job-scoped and need a jobId",
    path: ["jobId"],
  });
export type PutInput = z.input<typeof PutInput>;

export const AccessInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const ListFilter = z
  .object({
    kind: Kind.optional(),
    vendor: z.string().min(1).max(2048).optional(),
    jobId: Id.schema("job").optional(),
  })
  .strict()
  .default({});
export type ListFilter = z.input<typeof ListFilter>;

export const Meta = z.object({
  ref: Ref,
  kind: Kind,
  vendor: z.string().nullable(),
  jobId: z.string().nullable(),
  label: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.number().nullable(),
});
export type Meta = z.infer<typeof Meta>;

/** The credential vault. Every method is scoped to `Actor.accountId()`; values never appear in errors. */
export interface Port {
  put(input: PutInput): Promise<{ ref: string }>;
  /** Audited: writes an AuditEntry (actor, api key id, reason, time) before reading. */
  get(ref: string, access: { reason: string }): Promise<string>;
  /** Audited; deleting a missing secret is a no-op. */
  delete(ref: string, access: { reason: string }): Promise<void>;
  /** Metadata only, never values; expired secrets are left out. */
  list(filter?: ListFilter): Promise<Meta[]>;
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw VisibleError.fromZod(parsed.error);
  return parsed.data;
}

/** Normalized put input: card secrets get an expiry if the caller gave none. */
export function normalizePut(input: PutInput) {
  const parsed = parse(PutInput, input);
  const expiresAt =
    parsed.expiresAt ??
    (parsed.kind === "card" ? Math.floor(Date.now() / 1000) + CARD_DEFAULT_TTL_SECONDS : undefined);
  return { ...parsed, expiresAt };
}

export function notFound(ref: string): VisibleError {
  return new VisibleError("not_found", "vault.not_found", `Secret ${ref} not found`);
}

export function isExpired(expiresAt: number | null | undefined): boolean {
  return expiresAt != null && expiresAt <= Math.floor(Date.now() / 1000);
}

/** Validates, then writes the audit entry; the read happens only after the entry is stored. */
export async function audit(action: "vault.get" | "vault.delete", ref: string, access: { reason: string }) {
  const valid = parse(Ref, ref);
  const { reason } = parse(AccessInput, access);
  Actor.accountId();
  await Audit.record({ action, target: valid, reason });
  return { ref: valid, reason };
}

const nameForKind: Record<Kind, SecretName> = {
  api_key: "API_KEY",
  password: "PASSWORD",
  totp_seed: "TOTP_SEED",
  card: "SECRET",
  session_state: "SESSION_STATE",
  other: "SECRET",
};

/** A value that entered this process is redacted from everything it writes from now on. */
export function remember(kind: Kind, jobId: string | null | undefined, value: string): void {
  if (jobId) Secrets.forJob(jobId).register(nameForKind[kind], value);
  else Secrets.register(nameForKind[kind], value);
}

export function matches(meta: Meta, filter: z.output<typeof ListFilter>): boolean {
  return (
    (!filter.kind || meta.kind === filter.kind) &&
    (!filter.vendor || meta.vendor === filter.vendor) &&
    (!filter.jobId || meta.jobId === filter.jobId)
  );
}
