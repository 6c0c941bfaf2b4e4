import { randomBytes } from "node:crypto";
import { Account, Actor } from "../src/index.ts";

export async function newAccount(): Promise<{ accountId: string; secret: string }> {
  const { account, apiKey } = await Account.signup({
    email: `user-${randomBytes(6).toString("hex")}@example.com`,
  });
  return { accountId: account.id, secret: apiKey.secret };
}

/** Runs as the given account's admin key would. */
export function as<R>(accountId: string, cb: () => R): R {
  return Actor.provide({ type: "account", properties: { accountId, scopes: ["admin"] } }, cb);
}
