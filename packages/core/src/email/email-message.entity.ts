import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** Metadata of one received mail. Subject and bodies carry codes and link tokens, so they live in the vault. */
export const EmailMessageEntity = new Entity(
  {
    model: { entity: "emailMessage", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      tokenHash: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      from: { type: "string", required: true, readOnly: true },
      receivedAt: { type: "string", required: true, readOnly: true },
      vaultRef: { type: "string", required: true, readOnly: true },
      expiresAt: { type: "number", required: true, readOnly: true },
    },
    indexes: {
      byInbox: {
        pk: { field: "pk", composite: ["accountId", "tokenHash"] },
        sk: { field: "sk", composite: ["id"] },
      },
      byJob: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "jobId"] },
        sk: { field: "gsi1sk", composite: ["id"] },
      },
    },
  },
  binding,
);
