import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** One fixed-window request counter per API key; TTL removes old windows. */
export const RateLimitCounterEntity = new Entity(
  {
    model: { entity: "rateLimitCounter", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      subject: { type: "string", required: true, readOnly: true },
      window: { type: "number", required: true, readOnly: true, padding: { length: 12, char: "0" } },
      count: { type: "number" },
      expiresAt: { type: "number" },
    },
    indexes: {
      bySubject: {
        pk: { field: "pk", composite: ["accountId", "subject"] },
        sk: { field: "sk", composite: ["window"] },
      },
    },
  },
  binding,
);
