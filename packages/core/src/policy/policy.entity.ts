import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

export const PolicyEntity = new Entity(
  {
    model: { entity: "policy", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      vendorAllowlist: { type: "list", items: { type: "string" } },
      perJobCap: { type: "number", required: true },
      dailyCap: { type: "number", required: true },
      monthlyCap: { type: "number", required: true },
      approvalThreshold: { type: "number", required: true },
      currency: { type: "string", required: true },
      allowRecurring: { type: "boolean", required: true },
      retentionDays: { type: "number", required: true },
      ...timestamps,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
