export { createLocalOrchestrator, createLocalTaskReporter } from "./local.ts";
export { LocalTasks, type TaskOutcome, TaskTimeoutError } from "./local-tasks.ts";
export { type Orchestrator, TaskGoneError } from "./port.ts";
export { Orchestration } from "./registry.ts";
export { createStepFunctionsOrchestrator } from "./step-functions.ts";
