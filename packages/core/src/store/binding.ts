import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, targetFromConfig } from "./client.ts";

const target = targetFromConfig();

/** Entities bind to this at construction; Store.configure rebinds all of them at run time. */
export const binding: { table: string; client: DynamoDBDocumentClient } = {
  table: target.table,
  client: createDocumentClient(target),
};

const now = () => new Date().toISOString();

export const timestamps = {
  createdAt: {
    type: "string",
    required: true,
    readOnly: true,
    default: now,
    set: (v?: string) => v ?? now(),
  },
  updatedAt: { type: "string", required: true, watch: "*", default: now, set: () => now() },
} as const;

export const createdAt = { createdAt: timestamps.createdAt } as const;
