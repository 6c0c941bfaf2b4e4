import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { Store } from "../store/index.ts";
import { canonicalJson, sha256Hex } from "../util/canonical.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { LedgerEntryEntity } from "./ledger-entry.entity.ts";
import { LedgerKeyEntity } from "./ledger-key.entity.ts";

const GENESIS = "0".repeat(64);
const MAX_APPEND_ATTEMPTS = 50;

export namespace Ledger {
  export const Kind = z.enum([
    "charge",
    "refund",
    "authorization",
    "capture",
    "reversal",
    "recurring_charge",
  ]);
  export type Kind = z.infer<typeof Kind>;

  export const Info = z.object({
    id: Id.schema("ledger"),
    seq: z.number().int().positive(),
    kind: Kind,
    jobId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    reference: z.string().nullable(),
    memo: z.string().nullable(),
    at: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  });
  export type Info = z.infer<typeof Info>;

  export const AppendInput = z
    .object({
      kind: Kind,
      jobId: Id.schema("job"),
      amount: z.number().int().min(0),
      currency: z.string().min(3).max(3),
      reference: z.string().max(200).optional(),
      memo: z.string().max(500).optional(),
    })
    .strict();
  export type AppendInput = z.infer<typeof AppendInput>;

  export interface Head {
    seq: number;
    hash: string;
  }

  function hashOf(accountId: string, entry: Omit<Info, "hash">): string {
    return sha256Hex(canonicalJson({ accountId, ...entry }));
  }

  /** The next entry after `at`: its seq, its link to the previous hash, and its own hash. */
  function chained(accountId: string, at: Head, input: AppendInput): Info {
    const body: Omit<Info, "hash"> = {
      id: Id.create("ledger"),
      seq: at.seq + 1,
      kind: input.kind,
      jobId: input.jobId,
      amount: input.amount,
      currency: input.currency,
      reference: input.reference ?? null,
      memo: input.memo ?? null,
      at: new Date().toISOString(),
      prevHash: at.hash,
    };
    return { ...body, hash: hashOf(accountId, body) };
  }

  export async function head(): Promise<Head> {
    const accountId = Actor.accountId();
    const last = await LedgerEntryEntity.query
      .byAccount({ accountId })
      .go({ order: "desc", limit: 1, consistent: true });
    const entry = last.data[0];
    return entry ? { seq: entry.seq, hash: entry.hash } : { seq: 0, hash: GENESIS };
  }

  /**
   * Writes one entry chained to the given head. The write is conditional on the seq being free, so of
   * two writers chained to the same head exactly one wins; the loser gets a conflict.
   */
  export async function appendAt(at: Head, input: AppendInput): Promise<Info> {
    const accountId = Actor.accountId();
    const entry = chained(accountId, at, input);
    try {
      await LedgerEntryEntity.create({
        accountId,
        ...entry,
        reference: entry.reference ?? undefined,
        memo: entry.memo ?? undefined,
      }).go();
    } catch (error) {
      if (isConditionalFailure(error)) {
        throw new VisibleError(
          "conflict",
          "ledger.head_moved",
          "Another entry was appended to this ledger first",
        );
      }
      throw error;
    }
    return entry;
  }

  /** Appends on the current head, retrying on the new head when a concurrent writer got there first. */
  export const append = fn(AppendInput, async (input): Promise<Info> => {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      try {
        return await appendAt(await head(), input);
      } catch (error) {
        if (!(error instanceof VisibleError && error.code === "ledger.head_moved")) throw error;
      }
    }
    throw new VisibleError("conflict", "ledger.contended", "The ledger is too contended right now; retry");
  });

  /** How each kind moves the job's counters; the job row and the ledger change in one transaction. */
  const effects: Record<Kind, { field: "captured" | "spent" | "refunded"; sign: 1 | -1 } | null> = {
    charge: { field: "captured", sign: 1 },
    recurring_charge: { field: "captured", sign: 1 },
    capture: { field: "spent", sign: 1 },
    reversal: { field: "spent", sign: -1 },
    refund: { field: "refunded", sign: 1 },
    authorization: null,
  };

  export const RecordInput = AppendInput.extend({ key: z.string().min(1).max(300) });
  export type RecordInput = z.infer<typeof RecordInput>;

  /**
   * Appends a money movement exactly once per `key`, and moves the job's captured/spent/refunded counters in
   * the same transaction. A second call with the same key returns the first entry with `created: false`.
   */
  export const record = fn(RecordInput, async (input): Promise<{ entry: Info; created: boolean }> => {
    const accountId = Actor.accountId();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const existing = await byKey(input.key);
      if (existing) return { entry: existing, created: false };
      const at = await head();
      const entry = chained(accountId, at, input);
      const effect = effects[input.kind];
      const result = await Store.fg.transaction
        .write(({ ledgerEntry, ledgerKey, job }) => [
          ledgerEntry.create({ accountId, ...entry, reference: input.reference, memo: input.memo }).commit(),
          ledgerKey.create({ accountId, key: input.key, seq: entry.seq }).commit(),
          effect
            ? effect.sign > 0
              ? job
                  .patch({ accountId, id: input.jobId })
                  .add({ [effect.field]: input.amount })
                  .commit()
              : job
                  .patch({ accountId, id: input.jobId })
                  .subtract({ [effect.field]: input.amount })
                  .commit()
            : job
                .check({ accountId, id: input.jobId })
                .where((a, op) => op.exists(a.id))
                .commit(),
        ])
        .go();
      if (!result.canceled) return { entry, created: true };
      const jobMissing = result.data[2]?.rejected && !(await jobExists(accountId, input.jobId));
      if (jobMissing) throw new VisibleError("not_found", "job.not_found", `Job ${input.jobId} not found`);
    }
    throw new VisibleError("conflict", "ledger.contended", "The ledger is too contended right now; retry");
  });

  async function jobExists(accountId: string, id: string): Promise<boolean> {
    const found = await Store.fg.entities.job
      .get({ accountId, id })
      .go({ attributes: ["id"], consistent: true });
    return Boolean(found.data);
  }

  /** The entry recorded under a movement key, if any. */
  export async function byKey(key: string): Promise<Info | undefined> {
    const accountId = Actor.accountId();
    const marker = await LedgerKeyEntity.get({ accountId, key }).go({ consistent: true });
    if (!marker.data) return undefined;
    const found = await LedgerEntryEntity.get({ accountId, seq: marker.data.seq }).go({ consistent: true });
    return found.data ? toInfo(found.data) : undefined;
  }

  export interface Totals {
    captured: number;
    spent: number;
    refunded: number;
    authorized: number;
  }

  export function totals(list: Info[]): Totals {
    const sum = { captured: 0, spent: 0, refunded: 0, authorized: 0 };
    for (const e of list) {
      const effect = effects[e.kind];
      if (effect) sum[effect.field] += effect.sign * e.amount;
      else sum.authorized += e.amount;
    }
    return sum;
  }

  export const Reconciliation = z.object({
    jobId: z.string(),
    captured: z.number().int(),
    spent: z.number().int(),
    refunded: z.number().int(),
    authorized: z.number().int(),
    /** captured = spent + refunded */
    balanced: z.boolean(),
    /** The job row's counters equal the ledger's sums. */
    matchesJob: z.boolean(),
  });
  export type Reconciliation = z.infer<typeof Reconciliation>;

  /** Per-job check of the invariant captured = spent + refunded, against the ledger and the job row. */
  export const reconcile = fn(
    z.object({ jobId: Id.schema("job") }).strict(),
    async ({ jobId }): Promise<Reconciliation> => {
      const accountId = Actor.accountId();
      const sums = totals(await forJob(jobId));
      const job = await Store.fg.entities.job.get({ accountId, id: jobId }).go({ consistent: true });
      if (!job.data) throw new VisibleError("not_found", "job.not_found", `Job ${jobId} not found`);
      return {
        jobId,
        ...sums,
        balanced: sums.captured === sums.spent + sums.refunded,
        matchesJob:
          job.data.captured === sums.captured &&
          job.data.spent === sums.spent &&
          job.data.refunded === sums.refunded,
      };
    },
  );

  /** Money taken from the card on file (charges minus refunds) since the given instant. */
  export async function netChargedSince(since: Date): Promise<number> {
    const accountId = Actor.accountId();
    const iso = since.toISOString();
    let net = 0;
    let cursor: string | null = null;
    do {
      const page: { data: { kind: string; amount: number; at: string }[]; cursor: string | null } =
        await LedgerEntryEntity.query.byAccount({ accountId }).go({ order: "desc", cursor, limit: 200 });
      for (const e of page.data) {
        if (e.at < iso) return net;
        if (e.kind === "charge" || e.kind === "recurring_charge") net += e.amount;
        if (e.kind === "refund") net -= e.amount;
      }
      cursor = page.cursor;
    } while (cursor);
    return net;
  }

  export async function entries(): Promise<Info[]> {
    const accountId = Actor.accountId();
    const result = await LedgerEntryEntity.query
      .byAccount({ accountId })
      .go({ pages: "all", consistent: true });
    return result.data.map(toInfo);
  }

  export async function forJob(jobId: string): Promise<Info[]> {
    const accountId = Actor.accountId();
    const result = await LedgerEntryEntity.query.byJob({ accountId, jobId }).go({ pages: "all" });
    result.data.sort((a, b) => a.seq - b.seq);
    return result.data.map(toInfo);
  }

  /** Recomputes every hash and link of the account's chain. */
  export async function verify(): Promise<{ valid: boolean; entries: number; brokenAt: number | null }> {
    const accountId = Actor.accountId();
    const all = await entries();
    let prev = GENESIS;
    for (const [index, entry] of all.entries()) {
      const { hash, ...body } = entry;
      if (entry.seq !== index + 1 || entry.prevHash !== prev || hashOf(accountId, body) !== hash) {
        return { valid: false, entries: all.length, brokenAt: entry.seq };
      }
      prev = hash;
    }
    return { valid: true, entries: all.length, brokenAt: null };
  }

  function toInfo(item: {
    id: string;
    seq: number;
    kind: string;
    jobId: string;
    amount: number;
    currency: string;
    reference?: string;
    memo?: string;
    at: string;
    prevHash: string;
    hash: string;
  }): Info {
    return {
      id: item.id,
      seq: item.seq,
      kind: item.kind as Kind,
      jobId: item.jobId,
      amount: item.amount,
      currency: item.currency,
      reference: item.reference ?? null,
      memo: item.memo ?? null,
      at: item.at,
      prevHash: item.prevHash,
      hash: item.hash,
    };
  }
}
