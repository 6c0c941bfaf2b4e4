import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

/** One message to one endpoint, with every attempt to deliver it (the delivery log). */
export const WebhookDeliveryEntity = new Entity(
  {
    model: { entity: "webhookDelivery", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      endpointId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      eventType: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", readOnly: true },
      payload: { type: "string", required: true, readOnly: true },
      status: { type: ["pending", "succeeded", "failed"] as const, required: true },
      attempts: {
        type: "list",
        required: true,
        default: () => [],
        items: {
          type: "map",
          properties: {
            attempt: { type: "number", required: true },
            at: { type: "string", required: true },
            statusCode: { type: "number" },
            error: { type: "string" },
            durationMs: { type: "number", required: true },
          },
        },
      },
      nextAttemptAt: { type: "string" },
      expiresAt: { type: "number" },
      ...timestamps,
    },
    indexes: {
      byEndpoint: {
        pk: { field: "pk", composite: ["accountId", "endpointId"] },
        sk: { field: "sk", composite: ["id"] },
      },
    },
  },
  binding,
);
