import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** One card per issue idempotency key, so a retried issue finds the card the first attempt made. */
export const CardIssueEntity = new Entity(
  {
    model: { entity: "cardIssue", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      key: { type: "string", required: true, readOnly: true },
      cardId: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byKey: { pk: { field: "pk", composite: ["accountId", "key"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
