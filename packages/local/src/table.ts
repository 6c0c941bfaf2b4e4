import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { createTableInput, TableDefinition } from "@fg/core/store/index";

/** Creates the fg table (from the core definition) if it is missing and turns TTL on. */
export async function ensureTable(endpoint: string, table: string): Promise<{ created: boolean }> {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: table }));
      return { created: false };
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(createTableInput(table)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: TableDefinition.ttlAttribute, Enabled: true },
      }),
    );
    return { created: true };
  } finally {
    client.destroy();
  }
}
