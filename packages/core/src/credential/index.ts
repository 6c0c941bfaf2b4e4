import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Audit } from "../audit/index.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { type Page, PageInput } from "../util/page.ts";
import { Vault } from "../vault/index.ts";
import { CredentialEntity } from "./credential.entity.ts";

export namespace Credential {
  /** What a job hands back to the user; card details are vault secrets but never credentials. */
  export const Kind = Vault.Kind.exclude(["card"]);
  export type Kind = z.infer<typeof Kind>;

  export const Info = z.object({
    id: Id.schema("credential"),
    vendor: z.string(),
    kind: Kind,
    label: z.string(),
    createdAt: z.string(),
    jobId: Id.schema("job"),
  });
  export type Info = z.infer<typeof Info>;

  export const Revealed = z.object({ id: Id.schema("credential"), value: z.string() });
  export type Revealed = z.infer<typeof Revealed>;

  /** Puts the value in the vault and records its metadata; the value itself never reaches the table. */
  export const store = fn(
    z
      .object({
        jobId: Id.schema("job"),
        vendor: z.string().min(1).max(2048),
        kind: Kind,
        label: z.string().trim().min(1).max(200),
        value: z.string().min(1),
      })
      .strict(),
    async (input): Promise<Info> => {
      const accountId = Actor.accountId();
      const vault = Vault.use();
      const { ref } = await vault.put({
        kind: input.kind,
        value: input.value,
        vendor: input.vendor,
        jobId: input.jobId,
        label: input.label,
      });
      const id = Id.create("credential");
      try {
        const created = await CredentialEntity.create({
          accountId,
          id,
          vendor: input.vendor,
          kind: input.kind,
          label: input.label,
          jobId: input.jobId,
          vaultRef: ref,
        }).go();
        return toInfo(created.data);
      } catch (error) {
        await vault.delete(ref, { reason: `credential ${id} could not be recorded` }).catch(() => undefined);
        throw error;
      }
    },
  );

  export const list = fn(
    z
      .object({
        vendor: z.string().min(1).max(2048).optional(),
        jobId: Id.schema("job").optional(),
        ...PageInput,
      })
      .strict(),
    async (input): Promise<Page<Info>> => {
      const accountId = Actor.accountId();
      const options = { order: "desc" as const, limit: input.limit, cursor: input.cursor ?? null };
      const query = input.jobId
        ? CredentialEntity.query
            .byJob({ accountId, jobId: input.jobId })
            .where((a, op) => (input.vendor ? op.eq(a.vendor, input.vendor) : ""))
        : input.vendor
          ? CredentialEntity.query.byVendor({ accountId, vendor: input.vendor })
          : CredentialEntity.query.byAccount({ accountId });
      const result = await query.go(options).catch((error: unknown) => {
        if (
          String((error as Error).message)
            .toLowerCase()
            .includes("cursor")
        ) {
          throw new VisibleError(
            "input",
            "pagination.bad_cursor",
            "The cursor is not valid for this listing",
          );
        }
        throw error;
      });
      return { data: result.data.map(toInfo), nextCursor: result.cursor ?? null };
    },
  );

  export const get = fn(z.object({ id: Id.schema("credential") }).strict(), async ({ id }): Promise<Info> => {
    return toInfo(await load(id));
  });

  /** Returns the value; audited twice: the reveal of the credential and the vault read behind it. */
  export const reveal = fn(
    z.object({ id: Id.schema("credential"), reason: z.string().trim().min(1).max(500) }).strict(),
    async ({ id, reason }): Promise<Revealed> => {
      Actor.assertScope("credentials:read");
      const item = await load(id);
      await Audit.record({ action: "credential.reveal", target: id, reason });
      const value = await Vault.use().get(item.vaultRef, { reason: `reveal ${id}: ${reason}`.slice(0, 500) });
      return { id, value };
    },
  );

  export const remove = fn(
    z.object({ id: Id.schema("credential") }).strict(),
    async ({ id }): Promise<void> => {
      const accountId = Actor.accountId();
      const item = await load(id);
      await Vault.use().delete(item.vaultRef, { reason: `credential ${id} removed` });
      await CredentialEntity.delete({ accountId, id }).go();
    },
  );

  type Item = NonNullable<Awaited<ReturnType<ReturnType<typeof CredentialEntity.get>["go"]>>["data"]>;

  async function load(id: string): Promise<Item> {
    const accountId = Actor.accountId();
    const found = await CredentialEntity.get({ accountId, id }).go({ consistent: true });
    if (!found.data)
      throw new VisibleError("not_found", "credential.not_found", `Credential ${id} not found`);
    return found.data;
  }

  function toInfo(item: {
    id: string;
    vendor: string;
    kind: string;
    label: string;
    createdAt: string;
    jobId: string;
  }): Info {
    return {
      id: item.id,
      vendor: item.vendor,
      kind: item.kind as Kind,
      label: item.label,
      createdAt: item.createdAt,
      jobId: item.jobId,
    };
  }
}
