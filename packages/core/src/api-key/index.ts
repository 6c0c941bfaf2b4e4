import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { conflictOnCondition } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { ApiKeyEntity } from "./api-key.entity.ts";

const SECRET_PREFIX = "fg_sk_";
const LAST_USED_RESOLUTION_MS = 60_000;

export namespace ApiKey {
  export const Info = z.object({
    id: Id.schema("apiKey"),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(Actor.Scope),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  });
  export type Info = z.infer<typeof Info>;

  export const Created = z.object({ id: Id.schema("apiKey"), prefix: z.string(), secret: z.string() });
  export type Created = z.infer<typeof Created>;

  export function hash(secret: string): string {
    return createHash("sha256").update(secret).digest("hex");
  }

  export const create = fn(
    z
      .object({
        name: z.string().trim().min(1).max(100).default("default"),
        scopes: z.array(Actor.Scope).min(1).default(["jobs:read", "jobs:write", "credentials:read"]),
      })
      .strict(),
    async (input): Promise<Created> => {
      Actor.assertScope("admin");
      const accountId = Actor.accountId();
      const secret = SECRET_PREFIX + randomBytes(32).toString("base64url");
      const id = Id.create("apiKey");
      const prefix = secret.slice(0, SECRET_PREFIX.length + 8);
      await ApiKeyEntity.create({
        accountId,
        id,
        name: input.name,
        prefix,
        hash: hash(secret),
        scopes: [...new Set(input.scopes)],
      }).go();
      return { id, prefix, secret };
    },
  );

  export const list = fn(z.object({}).strict().default({}), async (): Promise<Info[]> => {
    const accountId = Actor.accountId();
    const result = await ApiKeyEntity.query.byAccount({ accountId }).go({ pages: "all" });
    return result.data.map(toInfo);
  });

  export const revoke = fn(z.object({ id: Id.schema("apiKey") }).strict(), async ({ id }): Promise<Info> => {
    Actor.assertScope("admin");
    const accountId = Actor.accountId();
    const existing = await ApiKeyEntity.get({ accountId, id }).go();
    if (!existing.data) throw new VisibleError("not_found", "api_key.not_found", "API key not found");
    if (existing.data.revokedAt) return toInfo(existing.data);
    const updated = await conflictOnCondition(
      () =>
        ApiKeyEntity.patch({ accountId, id })
          .set({ revokedAt: new Date().toISOString() })
          .go({ response: "all_new" }),
      "api_key.not_found",
      "API key not found",
    );
    return toInfo(updated.data as Parameters<typeof toInfo>[0]);
  });

  /** Resolves a presented secret to the actor it authenticates, or undefined. Runs before any actor exists. */
  export const verify = fn(z.object({ secret: z.string().min(1).max(512) }), async ({ secret }) => {
    if (!secret.startsWith(SECRET_PREFIX)) return undefined;
    const result = await ApiKeyEntity.query.byHash({ hash: hash(secret) }).go();
    const key = result.data[0];
    if (!key || key.revokedAt) return undefined;
    const now = Date.now();
    if (!key.lastUsedAt || now - Date.parse(key.lastUsedAt) > LAST_USED_RESOLUTION_MS) {
      await ApiKeyEntity.patch({ accountId: key.accountId, id: key.id })
        .set({ lastUsedAt: new Date(now).toISOString() })
        .go()
        .catch(() => undefined);
    }
    const actor: Actor.Account = {
      type: "account",
      properties: { accountId: key.accountId, apiKeyId: key.id, scopes: key.scopes as Actor.Scope[] },
    };
    return actor;
  });

  function toInfo(item: {
    id: string;
    name: string;
    prefix: string;
    scopes: string[];
    createdAt: string;
    lastUsedAt?: string;
    revokedAt?: string;
  }): Info {
    return Info.parse({
      id: item.id,
      name: item.name,
      prefix: item.prefix,
      scopes: item.scopes,
      createdAt: item.createdAt,
      lastUsedAt: item.lastUsedAt ?? null,
      revokedAt: item.revokedAt ?? null,
    });
  }
}
