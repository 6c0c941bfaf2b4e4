export { startQueueConsumer } from "./consumer.ts";
export { recoverJobs } from "./recovery.ts";
export { createLocalRunner, type LocalRunner, type LocalRunnerOptions } from "./runner.ts";
export { WORKER_ENTRY } from "./worker-process.ts";
