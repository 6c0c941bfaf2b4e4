import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

/** Where a job's money steps stand; conditional writes on it make each step happen once. */
export const JobMoneyEntity = new Entity(
  {
    model: { entity: "jobMoney", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      chargeStatus: { type: ["charged", "declined"] as const },
      chargeId: { type: "string" },
      chargeAmount: { type: "number" },
      failureCode: { type: "string" },
      failureMessage: { type: "string" },
      cardId: { type: "string" },
      cardLast4: { type: "string" },
      vaultRef: { type: "string" },
      closed: { type: ["settled", "compensated"] as const },
      closeResult: { type: "any" },
      reason: { type: "string" },
      ...timestamps,
    },
    indexes: {
      byJob: { pk: { field: "pk", composite: ["accountId", "jobId"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
