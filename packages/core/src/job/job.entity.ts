import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";
import { Status } from "./status.ts";

export const JobEntity = new Entity(
  {
    model: { entity: "job", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      vendor: { type: "string", required: true, readOnly: true },
      goal: { type: ["account", "api_key", "subscription"] as const, required: true, readOnly: true },
      plan: { type: "string", readOnly: true },
      status: { type: Status.options, required: true },
      maxSpend: { type: "number", required: true, readOnly: true },
      currency: { type: "string", required: true, readOnly: true },
      captured: { type: "number", required: true, default: 0 },
      spent: { type: "number", required: true, default: 0 },
      refunded: { type: "number", required: true, default: 0 },
      credentialIds: { type: "list", items: { type: "string" }, required: true, default: () => [] },
      steps: {
        type: "list",
        required: true,
        default: () => [],
        items: {
          type: "map",
          properties: {
            name: { type: "string", required: true },
            status: { type: Status.options, required: true },
            startedAt: { type: "string" },
            endedAt: { type: "string" },
          },
        },
      },
      failureCode: { type: "string" },
      failureMessage: { type: "string" },
      executionArn: { type: "string" },
      /** The workflow's task token while the job waits for approval. */
      approvalToken: { type: "string" },
      expiresAt: { type: "number" },
      ...timestamps,
    },
    indexes: {
      byId: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
      byStatus: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["accountId", "status"] },
        sk: { field: "gsi1sk", composite: ["id"] },
      },
      byVendor: {
        index: "gsi2",
        pk: { field: "gsi2pk", composite: ["accountId", "vendor"] },
        sk: { field: "gsi2sk", composite: ["id"] },
      },
    },
  },
  binding,
);
