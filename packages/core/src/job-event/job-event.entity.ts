import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

export const JobEventEntity = new Entity(
  {
    model: { entity: "jobEvent", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      seq: { type: "number", required: true, readOnly: true, padding: { length: 10, char: "0" } },
      id: { type: "string", required: true, readOnly: true },
      type: { type: "string", required: true, readOnly: true },
      at: { type: "string", required: true, readOnly: true },
      data: { type: "any", readOnly: true },
      expiresAt: { type: "number" },
    },
    indexes: {
      byJob: {
        pk: { field: "pk", composite: ["accountId", "jobId"] },
        sk: { field: "sk", composite: ["seq"] },
      },
    },
  },
  binding,
);
