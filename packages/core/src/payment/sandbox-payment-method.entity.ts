import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const SandboxPaymentMethodEntity = new Entity(
  {
    model: { entity: "sandboxPaymentMethod", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      token: { type: "string", required: true, readOnly: true },
      brand: { type: "string", required: true, readOnly: true },
      last4: { type: "string", required: true, readOnly: true },
      expMonth: { type: "number", required: true, readOnly: true },
      expYear: { type: "number", required: true, readOnly: true },
      ...createdAt,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
    },
  },
  binding,
);
