import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { ApiKey } from "../api-key/index.ts";
import { Store } from "../store/index.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { AccountEntity } from "./account.entity.ts";

export namespace Account {
  export const Info = z.object({
    id: Id.schema("account"),
    email: z.email(),
    name: z.string().optional(),
    createdAt: z.string(),
  });
  export type Info = z.infer<typeof Info>;

  const Email = z
    .email()
    .max(254)
    .transform((email) => email.toLowerCase());

  export const create = fn(
    z.object({ email: Email, name: z.string().trim().min(1).max(200).optional() }).strict(),
    async (input): Promise<Info> => {
      const id = Id.create("account");
      const result = await Store.fg.transaction
        .write(({ account, unique }) => [
          unique.create({ kind: "email", value: input.email, ownerId: id }).commit(),
          account.create({ id, email: input.email, name: input.name }).commit(),
        ])
        .go();
      if (result.canceled) {
        throw new VisibleError(
          "conflict",
          "account.email_taken",
          "An account with this email already exists",
        );
      }
      const created = await AccountEntity.get({ id }).go({ consistent: true });
      if (!created.data) throw new Error(`account ${id} vanished after creation`);
      return toInfo(created.data);
    },
  );

  /** Creates an account and its first API key; the key's secret is returned only here. */
  export const signup = fn(create.schema, async (input) => {
    const account = await create(input);
    const apiKey = await Actor.system("signup", account.id, () =>
      ApiKey.create({ name: "default", scopes: ["admin"] }),
    );
    return { account: { id: account.id, email: account.email }, apiKey };
  });

  export async function current(): Promise<Info> {
    const id = Actor.accountId();
    const found = await AccountEntity.get({ id }).go();
    if (!found.data) throw new VisibleError("not_found", "account.not_found", "Account not found");
    return toInfo(found.data);
  }

  function toInfo(item: { id: string; email: string; name?: string; createdAt: string }): Info {
    return Info.parse({ id: item.id, email: item.email, name: item.name, createdAt: item.createdAt });
  }
}
