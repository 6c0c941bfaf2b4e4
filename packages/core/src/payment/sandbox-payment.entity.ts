import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

/** A sandbox charge or refund, stored under its idempotency key so a repeated request finds the first. */
export const SandboxPaymentEntity = new Entity(
  {
    model: { entity: "sandboxPayment", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      key: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      type: { type: ["charge", "refund"] as const, required: true, readOnly: true },
      chargeId: { type: "string", readOnly: true },
      paymentMethodId: { type: "string", readOnly: true },
      amount: { type: "number", required: true, readOnly: true },
      currency: { type: "string", required: true, readOnly: true },
      status: { type: ["succeeded", "failed"] as const, required: true, readOnly: true },
      failureCode: { type: "string", readOnly: true },
      failureMessage: { type: "string", readOnly: true },
      refunded: { type: "number", required: true, default: 0 },
      metadata: { type: "any", readOnly: true },
      ...createdAt,
    },
    indexes: {
      byKey: { pk: { field: "pk", composite: ["accountId", "key"] }, sk: { field: "sk", composite: [] } },
      byId: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "id"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  binding,
);
