import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

export const IdempotencyRecordEntity = new Entity(
  {
    model: { entity: "idempotencyRecord", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      scope: { type: "string", required: true, readOnly: true },
      key: { type: "string", required: true, readOnly: true },
      requestHash: { type: "string", required: true, readOnly: true },
      status: { type: ["in_progress", "completed"] as const, required: true },
      statusCode: { type: "number" },
      response: { type: "any" },
      expiresAt: { type: "number", required: true },
      ...createdAt,
    },
    indexes: {
      byKey: {
        pk: { field: "pk", composite: ["accountId", "scope", "key"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
  binding,
);
