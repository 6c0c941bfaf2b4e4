import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const CredentialEntity = new Entity(
  {
    model: { entity: "credential", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      vendor: { type: "string", required: true, readOnly: true },
      kind: { type: "string", required: true, readOnly: true },
      label: { type: "string", required: true },
      jobId: { type: "string", required: true, readOnly: true },
      vaultRef: { type: "string", required: true, readOnly: true },
      ...createdAt,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
      byVendor: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "vendor"] },
        sk: { field: "gsi1sk", composite: ["id"] },
      },
      byJob: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["accountId", "jobId"] },
        sk: { field: "gsi2sk", composite: ["id"] },
      },
    },
  },
  binding,
);
