import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const CardTransactionEntity = new Entity(
  {
    model: { entity: "cardTransaction", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      cardId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      authorizationId: { type: "string", readOnly: true },
      type: { type: ["capture", "refund"] as const, required: true, readOnly: true },
      /** Always positive; `type` says which way the money went. */
      amount: { type: "number", required: true, readOnly: true },
      currency: { type: "string", required: true, readOnly: true },
      merchantName: { type: "string", required: true, readOnly: true },
      refunded: { type: "number", required: true, default: 0 },
      ...createdAt,
    },
    indexes: {
      byCard: {
        pk: { field: "pk", composite: ["accountId", "cardId"] },
        sk: { field: "sk", composite: ["id"] },
      },
      /** The card network refunds by transaction id alone. */
      byId: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["id"] },
        sk: { field: "gsi2sk", composite: [] },
      },
    },
  },
  binding,
);
