import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const CardAuthorizationEntity = new Entity(
  {
    model: { entity: "cardAuthorization", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      cardId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      amount: { type: "number", required: true, readOnly: true },
      currency: { type: "string", required: true, readOnly: true },
      merchantName: { type: "string", required: true, readOnly: true },
      approved: { type: "boolean", required: true, readOnly: true },
      reason: { type: "string", required: true, readOnly: true },
      recurring: { type: "boolean", required: true, readOnly: true },
      status: { type: ["pending", "closed", "reversed"] as const, required: true },
      capturedAmount: { type: "number", required: true, default: 0 },
      ...createdAt,
    },
    indexes: {
      byCard: {
        pk: { field: "pk", composite: ["accountId", "cardId"] },
        sk: { field: "sk", composite: ["id"] },
      },
      /** The card network captures by authorization id alone. */
      byId: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["id"] },
        sk: { field: "gsi2sk", composite: [] },
      },
    },
  },
  binding,
);
