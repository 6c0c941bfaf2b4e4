import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** The recorded result of one workflow step of one job: replaying the step returns this instead of acting. */
export const StepRecordEntity = new Entity(
  {
    model: { entity: "stepRecord", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      step: { type: "string", required: true, readOnly: true },
      result: { type: "any", readOnly: true },
      recordedAt: { type: "string", required: true, readOnly: true },
      expiresAt: { type: "number" },
    },
    indexes: {
      byJob: {
        pk: { field: "pk", composite: ["accountId", "jobId"] },
        sk: { field: "sk", composite: ["step"] },
      },
    },
  },
  binding,
);
