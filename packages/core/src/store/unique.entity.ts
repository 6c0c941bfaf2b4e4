import { Entity } from "electrodb";
import { binding } from "./binding.ts";

/** A uniqueness marker (e.g. an email) written in the same transaction as its owner. */
export const UniqueEntity = new Entity(
  {
    model: { entity: "unique", service: "fg", version: "1" },
    attributes: {
      kind: { type: "string", required: true, readOnly: true },
      value: { type: "string", required: true, readOnly: true },
      ownerId: { type: "string", required: true },
    },
    indexes: {
      byValue: { pk: { field: "pk", composite: ["kind", "value"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
