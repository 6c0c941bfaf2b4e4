import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

export const VendorStateEntity = new Entity(
  {
    model: { entity: "vendorState", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      vendor: { type: "string", required: true, readOnly: true },
      hasAccount: { type: "boolean", required: true, default: false },
      hasKey: { type: "boolean", required: true, default: false },
      loginIdentityRef: { type: "string" },
      sessionStateRef: { type: "string" },
      credentialIds: { type: "list", items: { type: "string" }, required: true, default: () => [] },
      lastJobId: { type: "string" },
      ...timestamps,
    },
    indexes: {
      byAccount: {
        pk: { field: "pk", composite: ["accountId"] },
        sk: { field: "sk", composite: ["vendor"] },
      },
    },
  },
  binding,
);
