import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { type Page, PageInput } from "../util/page.ts";
import { AuditEntryEntity } from "./audit-entry.entity.ts";

export namespace Audit {
  export const Info = z.object({
    id: Id.schema("audit"),
    action: z.string(),
    actorType: z.string(),
    apiKeyId: z.string().nullable(),
    target: z.string(),
    reason: z.string().nullable(),
    at: z.string(),
  });
  export type Info = z.infer<typeof Info>;

  /** Who touched what and why; the actor comes from the context, never from the caller. */
  export const record = fn(
    z.object({
      action: z.string().min(1).max(100),
      target: z.string().min(1).max(200),
      reason: z.string().max(500).optional(),
    }),
    async (input): Promise<Info> => {
      const accountId = Actor.accountId();
      const actor = Actor.use();
      const entry = {
        accountId,
        id: Id.create("audit"),
        action: input.action,
        actorType: actor.type,
        apiKeyId: Actor.apiKeyId(),
        target: input.target,
        reason: input.reason,
        at: new Date().toISOString(),
      };
      await AuditEntryEntity.create(entry).go();
      return toInfo(entry);
    },
  );

  export const list = fn(
    z.object({ ...PageInput }).strict(),
    async ({ limit, cursor }): Promise<Page<Info>> => {
      const accountId = Actor.accountId();
      const result = await AuditEntryEntity.query
        .byAccount({ accountId })
        .go({ order: "desc", limit, cursor: cursor ?? null });
      return { data: result.data.map(toInfo), nextCursor: result.cursor ?? null };
    },
  );

  function toInfo(item: {
    id: string;
    action: string;
    actorType: string;
    apiKeyId?: string;
    target: string;
    reason?: string;
    at: string;
  }): Info {
    return {
      id: item.id,
      action: item.action,
      actorType: item.actorType,
      apiKeyId: item.apiKeyId ?? null,
      target: item.target,
      reason: item.reason ?? null,
      at: item.at,
    };
  }
}
