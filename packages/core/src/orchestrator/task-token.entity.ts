import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/**
 * A local stand-in for a Step Functions task token. Kept in the table, not in memory, so a worker in
 * another process can report through it and a restarted runtime still knows what it was waiting for.
 */
export const TaskTokenEntity = new Entity(
  {
    model: { entity: "taskToken", service: "fg", version: "1" },
    attributes: {
      token: { type: "string", required: true, readOnly: true },
      accountId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      state: { type: "string", required: true, readOnly: true },
      status: { type: ["waiting", "succeeded", "failed", "abandoned"] as const, required: true },
      output: { type: "any" },
      error: { type: "string" },
      cause: { type: "string" },
      heartbeatAt: { type: "string", required: true },
      createdAt: { type: "string", required: true, readOnly: true },
      expiresAt: { type: "number", required: true },
    },
    indexes: {
      byToken: { pk: { field: "pk", composite: ["token"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
