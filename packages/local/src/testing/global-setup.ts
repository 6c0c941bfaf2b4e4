import type { TestProject } from "vitest/node";
import { type DynamoLocal, startDynamoLocal } from "../dynamo-local.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

// Vitest may run this once per project; every project shares one emulator, stopped by the last teardown.
const shared = globalThis as { __fgDynamo?: { instance: Promise<DynamoLocal>; users: number } };

export default async function setup(project: TestProject) {
  shared.__fgDynamo ??= { instance: startDynamoLocal(), users: 0 };
  const state = shared.__fgDynamo;
  state.users++;
  const dynamo = await state.instance;
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    state.users--;
    if (state.users === 0) {
      shared.__fgDynamo = undefined;
      await dynamo.stop();
    }
  };
}
