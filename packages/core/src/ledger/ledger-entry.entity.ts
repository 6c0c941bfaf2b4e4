import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

export const LedgerEntryEntity = new Entity(
  {
    model: { entity: "ledgerEntry", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      seq: { type: "number", required: true, readOnly: true, padding: { length: 12, char: "0" } },
      id: { type: "string", required: true, readOnly: true },
      kind: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      amount: { type: "number", required: true, readOnly: true },
      currency: { type: "string", required: true, readOnly: true },
      reference: { type: "string", readOnly: true },
      memo: { type: "string", readOnly: true },
      at: { type: "string", required: true, readOnly: true },
      prevHash: { type: "string", required: true, readOnly: true },
      hash: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["seq"] } },
      byJob: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "jobId"] },
        sk: { field: "gsi1sk", composite: ["seq"] },
      },
    },
  },
  binding,
);
