import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { VendorStateEntity } from "./vendor-state.entity.ts";

export namespace VendorState {
  export const Info = z.object({
    vendor: z.string(),
    hasAccount: z.boolean(),
    hasKey: z.boolean(),
    loginIdentityRef: z.string().nullable(),
    sessionStateRef: z.string().nullable(),
    credentialIds: z.array(z.string()),
    lastJobId: z.string().nullable(),
    updatedAt: z.string().nullable(),
  });
  export type Info = z.infer<typeof Info>;

  const VendorKey = z.string().min(1).max(2048);

  /** What fg knows about this account at a vendor; a vendor never seen yields the empty state. */
  export const get = fn(z.object({ vendor: VendorKey }).strict(), async ({ vendor }): Promise<Info> => {
    const accountId = Actor.accountId();
    const found = await VendorStateEntity.get({ accountId, vendor }).go({ consistent: true });
    if (!found.data) {
      return {
        vendor,
        hasAccount: false,
        hasKey: false,
        loginIdentityRef: null,
        sessionStateRef: null,
        credentialIds: [],
        lastJobId: null,
        updatedAt: null,
      };
    }
    return toInfo(found.data);
  });

  export const Patch = z
    .object({
      vendor: VendorKey,
      hasAccount: z.boolean().optional(),
      hasKey: z.boolean().optional(),
      loginIdentityRef: z.string().min(1).optional(),
      sessionStateRef: z.string().min(1).optional(),
      addCredentialIds: z.array(Id.schema("credential")).optional(),
      lastJobId: Id.schema("job").optional(),
    })
    .strict();

  export const upsert = fn(Patch, async ({ vendor, addCredentialIds, ...fields }): Promise<Info> => {
    const accountId = Actor.accountId();
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await VendorStateEntity.get({ accountId, vendor }).go({ consistent: true });
      try {
        if (!existing.data) {
          const created = await VendorStateEntity.create({
            accountId,
            vendor,
            ...set,
            credentialIds: addCredentialIds ?? [],
          }).go();
          return toInfo(created.data);
        }
        const credentialIds = [...new Set([...existing.data.credentialIds, ...(addCredentialIds ?? [])])];
        const updated = await VendorStateEntity.patch({ accountId, vendor })
          .set({ ...set, credentialIds })
          .where((a, op) => op.eq(a.updatedAt, existing.data?.updatedAt ?? ""))
          .go({ response: "all_new" });
        return toInfo(updated.data as Parameters<typeof toInfo>[0]);
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
    }
    throw new Error(`vendor state for ${vendor} kept changing under concurrent writers`);
  });

  function toInfo(item: {
    vendor: string;
    hasAccount: boolean;
    hasKey: boolean;
    loginIdentityRef?: string;
    sessionStateRef?: string;
    credentialIds: string[];
    lastJobId?: string;
    updatedAt: string;
  }): Info {
    return {
      vendor: item.vendor,
      hasAccount: item.hasAccount,
      hasKey: item.hasKey,
      loginIdentityRef: item.loginIdentityRef ?? null,
      sessionStateRef: item.sessionStateRef ?? null,
      credentialIds: item.credentialIds,
      lastJobId: item.lastJobId ?? null,
      updatedAt: item.updatedAt,
    };
  }
}
