export {
  type DynamoLocal,
  emulatorDir,
  JavaMissingError,
  startDynamoLocal,
  stopAllDynamoLocal,
} from "./dynamo-local.ts";
export { fgHome } from "./home.ts";
export { freePort } from "./ports.ts";
export { type LocalRuntime, type Service, startLocalRuntime, stopOnSignals } from "./runtime.ts";
export { ensureTable } from "./table.ts";
