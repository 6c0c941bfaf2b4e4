import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Config } from "../config.ts";

export interface StoreTarget {
  table: string;
  endpoint?: string;
  region: string;
}

export function targetFromConfig(): StoreTarget {
  const config = Config.get();
  return { table: config.FG_TABLE, endpoint: config.FG_DYNAMODB_ENDPOINT, region: config.AWS_REGION };
}

export function createDocumentClient(
  target: Pick<StoreTarget, "endpoint" | "region">,
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: target.region,
    ...(target.endpoint
      ? { endpoint: target.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
