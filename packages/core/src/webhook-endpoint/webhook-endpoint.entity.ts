import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

export const WebhookEndpointEntity = new Entity(
  {
    model: { entity: "webhookEndpoint", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      url: { type: "string", required: true, readOnly: true },
      eventTypes: { type: "list", items: { type: "string" }, required: true },
      description: { type: "string" },
      /** The Standard Webhooks signing secret (whsec_…); it must be readable to sign, so it is stored. */
      secret: { type: "string", required: true, readOnly: true },
      ...timestamps,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
    },
  },
  binding,
);
