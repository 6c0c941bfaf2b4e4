import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

/** fg's record of a virtual card: which job it serves, its limits and what is held against them. */
export const CardEntity = new Entity(
  {
    model: { entity: "card", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      provider: { type: ["sandbox", "stripe"] as const, required: true, readOnly: true },
      providerCardId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      vendor: { type: "string", required: true, readOnly: true },
      status: { type: ["active", "inactive", "canceled"] as const, required: true },
      currency: { type: "string", required: true, readOnly: true },
      limit: { type: "number", required: true, readOnly: true },
      /** Approved authorizations (adjusted to captured amounts) counted against `limit`. */
      held: { type: "number", required: true, default: 0 },
      monthlyLimit: { type: "number" },
      subscription: { type: "boolean", required: true, readOnly: true },
      merchantDescriptor: { type: "string", required: true, readOnly: true },
      last4: { type: "string", required: true, readOnly: true },
      expMonth: { type: "number", required: true, readOnly: true },
      expYear: { type: "number", required: true, readOnly: true },
      ...timestamps,
    },
    indexes: {
      byId: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
      byJob: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "jobId"] },
        sk: { field: "gsi1sk", composite: ["id"] },
      },
      /** Issuer events name the provider's card id before any account is known. */
      byProviderCard: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["provider", "providerCardId"] },
        sk: { field: "gsi2sk", composite: [] },
      },
    },
  },
  binding,
);
