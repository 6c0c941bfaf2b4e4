/**
 * The one table. Used by the local bootstrap and by stacks/table.ts, so the two cannot drift.
 * ElectroDB entities map onto these generic key fields.
 */
export const TableDefinition = {
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk" },
  },
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  ttlAttribute: "expiresAt",
} as const;

export type IndexName = keyof typeof TableDefinition.globalIndexes;

/** The CreateTable input for DynamoDB (local bootstrap) derived from the definition. */
export function createTableInput(tableName: string) {
  const { primaryIndex, globalIndexes, fields } = TableDefinition;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: Object.keys(fields).map((name) => ({
      AttributeName: name,
      AttributeType: "S" as const,
    })),
    KeySchema: [
      { AttributeName: primaryIndex.hashKey, KeyType: "HASH" as const },
      { AttributeName: primaryIndex.rangeKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: Object.entries(globalIndexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.hashKey, KeyType: "HASH" as const },
        { AttributeName: index.rangeKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    })),
  };
}
