import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** Inbound webhooks arrive before any account is known: keyed by provider and event id, not by account. */
export const WebhookReceiptEntity = new Entity(
  {
    model: { entity: "webhookReceipt", service: "fg", version: "1" },
    attributes: {
      provider: { type: "string", required: true, readOnly: true },
      eventId: { type: "string", required: true, readOnly: true },
      type: { type: "string", required: true, readOnly: true },
      accountId: { type: "string" },
      receivedAt: { type: "string", required: true, readOnly: true },
      expiresAt: { type: "number", required: true },
    },
    indexes: {
      byEvent: {
        pk: { field: "pk", composite: ["provider", "eventId"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
  binding,
);
