import { Entity } from "electrodb";
import { binding } from "../store/binding.ts";

/** Finds a sandbox card from the number a checkout typed, by keyed digest: the number itself is never stored. */
export const SandboxCardNumberEntity = new Entity(
  {
    model: { entity: "sandboxCardNumber", service: "fg", version: "1" },
    attributes: {
      digest: { type: "string", required: true, readOnly: true },
      accountId: { type: "string", required: true, readOnly: true },
      cardId: { type: "string", required: true, readOnly: true },
    },
    indexes: {
      byDigest: { pk: { field: "pk", composite: ["digest"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);
