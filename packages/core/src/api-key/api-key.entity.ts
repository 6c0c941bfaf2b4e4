import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const ApiKeyEntity = new Entity(
  {
    model: { entity: "apiKey", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      name: { type: "string", required: true },
      prefix: { type: "string", required: true, readOnly: true },
      hash: { type: "string", required: true, readOnly: true },
      scopes: { type: "list", items: { type: "string" }, required: true },
      lastUsedAt: { type: "string" },
      revokedAt: { type: "string" },
      ...createdAt,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
      // Authentication looks a key up before any account is known; the hash is the only way in.
      byHash: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["hash"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  binding,
);
