import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

export const AuditEntryEntity = new Entity(
  {
    model: { entity: "auditEntry", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      action: { type: "string", required: true, readOnly: true },
      actorType: { type: "string", required: true, readOnly: true },
      apiKeyId: { type: "string", readOnly: true },
      target: { type: "string", required: true, readOnly: true },
      reason: { type: "string", readOnly: true },
      at: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
    },
  },
  binding,
);
