import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** Marks a money movement as recorded, so a retried or duplicated step appends its entry only once. */
export const LedgerKeyEntity = new Entity(
  {
    model: { entity: "ledgerKey", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      key: { type: "string", required: true, readOnly: true },
      seq: { type: "number", required: true, readOnly: true },
    },
    indexes: {
      byKey: { pk: { field: "pk", composite: ["accountId", "key"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
