/**
 * The sst.aws.Dynamo arguments, derived from the same TableDefinition the local bootstrap uses, so the
 * deployed table and DynamoDB Local cannot drift apart.
 */
import { TableDefinition } from "../store/table.ts";

type FieldType = "string" | "number" | "binary";

export interface DynamoArgs {
  fields: Record<string, FieldType>;
  primaryIndex: { hashKey: string; rangeKey: string };
  globalIndexes: Record<string, { hashKey: string; rangeKey: string; projection: "all" }>;
  ttl: string;
}

export function dynamoArgs(): DynamoArgs {
  const { fields, primaryIndex, globalIndexes, ttlAttribute } = TableDefinition;
  return {
    fields: { ...fields },
    primaryIndex: { ...primaryIndex },
    globalIndexes: Object.fromEntries(
      Object.entries(globalIndexes).map(([name, index]) => [name, { ...index, projection: "all" as const }]),
    ),
    ttl: ttlAttribute,
  };
}

/** Index names the IAM policies grant on: `<table arn>/index/<name>`. */
export function indexNames(): string[] {
  return Object.keys(TableDefinition.globalIndexes);
}
