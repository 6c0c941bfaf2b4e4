import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import { VisibleError } from "../util/error.ts";

export namespace Actor {
  export const Scope = z.enum(["jobs:read", "jobs:write", "credentials:read", "admin"]);
  export type Scope = z.infer<typeof Scope>;

  export interface Account {
    type: "account";
    properties: { accountId: string; apiKeyId?: string; scopes: Scope[] };
  }
  /** Internal work. Scoped to one account when `accountId` is set; unscoped only for cross-account plumbing. */
  export interface System {
    type: "system";
    properties: { accountId?: string; reason: string };
  }
  export interface Public {
    type: "public";
    properties: Record<string, never>;
  }
  export type Info = Account | System | Public;

  const storage = new AsyncLocalStorage<Info>();

  export function provide<R>(actor: Info, cb: () => R): R {
    return storage.run(actor, cb);
  }

  export function use(): Info {
    return storage.getStore() ?? { type: "public", properties: {} };
  }

  /** The account every read and write is scoped to. Never taken from a caller's input. */
  export function accountId(): string {
    const actor = use();
    if (actor.type === "account") return actor.properties.accountId;
    if (actor.type === "system" && actor.properties.accountId) return actor.properties.accountId;
    throw new VisibleError("auth", "auth.required", "This operation needs an authenticated account");
  }

  export function apiKeyId(): string | undefined {
    const actor = use();
    return actor.type === "account" ? actor.properties.apiKeyId : undefined;
  }

  export function assertSystem(): System {
    const actor = use();
    if (actor.type !== "system") {
      throw new VisibleError("forbidden", "auth.system_only", "This operation is internal");
    }
    return actor;
  }

  export function assertScope(scope: Scope): void {
    const actor = use();
    if (actor.type === "system") return;
    if (
      actor.type === "account" &&
      (actor.properties.scopes.includes(scope) || actor.properties.scopes.includes("admin"))
    ) {
      return;
    }
    if (actor.type === "public") {
      throw new VisibleError("auth", "auth.required", "This operation needs an authenticated account");
    }
    throw new VisibleError("forbidden", "auth.scope", `This API key lacks the "${scope}" scope`);
  }

  export function system<R>(reason: string, accountId: string | undefined, cb: () => R): R {
    return provide({ type: "system", properties: accountId ? { accountId, reason } : { reason } }, cb);
  }
}
