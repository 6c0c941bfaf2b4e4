import { Entity } from "electrodb";
import { binding, createdAt } from "../store/binding.ts";

/**
 * One envelope-encrypted secret of the local vault. The value is only ever stored as AES-256-GCM
 * ciphertext under a per-secret data key, which is itself stored wrapped by the master key.
 */
export const VaultSecretEntity = new Entity(
  {
    model: { entity: "vaultSecret", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      id: { type: "string", required: true, readOnly: true },
      kind: { type: "string", required: true, readOnly: true },
      vendor: { type: "string", readOnly: true },
      jobId: { type: "string", readOnly: true },
      label: { type: "string", readOnly: true },
      ciphertext: { type: "string", required: true, readOnly: true },
      iv: { type: "string", required: true, readOnly: true },
      tag: { type: "string", required: true, readOnly: true },
      wrappedKey: { type: "string", required: true },
      masterKeyId: { type: "string", required: true },
      expiresAt: { type: "number", readOnly: true },
      ...createdAt,
    },
    indexes: {
      byId: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: ["id"] } },
    },
  },
  binding,
);
