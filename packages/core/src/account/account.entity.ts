import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

export const AccountEntity = new Entity(
  {
    model: { entity: "account", service: "fg", version: "1" },
    attributes: {
      id: { type: "string", required: true, readOnly: true },
      email: { type: "string", required: true },
      name: { type: "string" },
      ...timestamps,
    },
    indexes: {
      byId: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } },
      byEmail: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["email"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  binding,
);
