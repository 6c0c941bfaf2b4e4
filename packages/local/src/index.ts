export { type ApiServer, startApi } from "./api-server.ts";
export { type CardNetworkServer, createCardNetworkApp, startCardNetwork } from "./card-network/index.ts";
export {
  type DynamoLocal,
  emulatorDir,
  JavaMissingError,
  startDynamoLocal,
  stopAllDynamoLocal,
} from "./dynamo-local.ts";
export { fgHome } from "./home.ts";
export { freePort } from "./ports.ts";
export {
  type LocalRuntime,
  type RuntimeOptions,
  type Service,
  startLocalRuntime,
  startVendorSide,
  stopOnSignals,
} from "./runtime.ts";
export { type SmtpInbox, type SmtpInboxOptions, startSmtpInbox } from "./smtp/index.ts";
export { ensureTable } from "./table.ts";
