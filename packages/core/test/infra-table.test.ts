import { describe, expect, it } from "vitest";
import { dynamoArgs, indexNames } from "../src/infra/table.ts";
import { createTableInput, TableDefinition } from "../src/store/table.ts";

describe("deployed table", () => {
  const args = dynamoArgs();
  const local = createTableInput("fg-local");

  it("has the same keys as the local table", () => {
    expect(local.KeySchema).toEqual([
      { AttributeName: args.primaryIndex.hashKey, KeyType: "HASH" },
      { AttributeName: args.primaryIndex.rangeKey, KeyType: "RANGE" },
    ]);
  });

  it("has the same global indexes, projecting every attribute", () => {
    expect(
      local.GlobalSecondaryIndexes.map((i) => ({
        name: i.IndexName,
        hashKey: i.KeySchema[0]!.AttributeName,
        rangeKey: i.KeySchema[1]!.AttributeName,
      })),
    ).toEqual(
      Object.entries(args.globalIndexes).map(([name, i]) => ({
        name,
        hashKey: i.hashKey,
        rangeKey: i.rangeKey,
      })),
    );
    for (const index of Object.values(args.globalIndexes)) expect(index.projection).toBe("all");
    expect(indexNames()).toEqual(Object.keys(args.globalIndexes));
  });

  it("declares exactly the key fields, as strings", () => {
    expect(local.AttributeDefinitions).toEqual(
      Object.entries(args.fields).map(([name, type]) => ({
        AttributeName: name,
        AttributeType: type === "string" ? "S" : "?",
      })),
    );
  });

  it("expires items on the entities' TTL attribute", () => {
    expect(args.ttl).toBe(TableDefinition.ttlAttribute);
    expect(args.ttl).toBe("expiresAt");
  });
});
