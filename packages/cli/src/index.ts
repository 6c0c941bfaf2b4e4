export { type ClientOptions, type CreateJobInput, FgClient } from "./client.ts";
export {
  configPath,
  DEFAULT_API_URL,
  readConfig,
  resolveConfig,
  type StoredConfig,
  writeConfig,
} from "./config.ts";
export { quoteEnvValue, writeEnvVariable } from "./env-file.ts";
export { ApiError, CliError } from "./errors.ts";
export { followJob, parseSse } from "./events.ts";
export { createMcpServer } from "./mcp/server.ts";
export { formatMoney, parseAmount } from "./money.ts";
export { createProgram } from "./program.ts";
