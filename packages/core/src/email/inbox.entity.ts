import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

/** A job's inbox. Only the hash of the address's token is stored; the address itself is the job's login email. */
export const InboxEntity = new Entity(
  {
    model: { entity: "inbox", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      jobId: { type: "string", required: true, readOnly: true },
      tokenHash: { type: "string", required: true, readOnly: true },
      ...createdAt,
    },
    indexes: {
      byJob: {
        pk: { field: "pk", composite: ["accountId"] },
        sk: { field: "sk", composite: ["jobId", "tokenHash"] },
      },
      // Mail arrives before any account is known; the token's hash is the only way in.
      byToken: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["tokenHash"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
  binding,
);
