import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { canonicalJson, sha256Hex } from "../util/canonical.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { LedgerEntryEntity } from "./ledger-entry.entity.ts";

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
    const entry = { ...body, hash: hashOf(accountId, body) };
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
