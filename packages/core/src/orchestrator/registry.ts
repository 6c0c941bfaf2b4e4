import { createLocalTaskReporter } from "./local.ts";
import type { Orchestrator } from "./port.ts";
import { createStepFunctionsOrchestrator } from "./step-functions.ts";

let configured: Orchestrator | undefined;

export namespace Orchestration {
  export function configure(orchestrator: Orchestrator): void {
    configured = orchestrator;
  }

  /**
   * Step Functions when FG_STATE_MACHINE_ARN is set (Lambdas, the Fargate worker); otherwise the local task
   * table, which is what a local worker process needs to report; the local runtime configures its own.
   */
  export function use(): Orchestrator {
    configured ??= process.env.FG_STATE_MACHINE_ARN
      ? createStepFunctionsOrchestrator({ stateMachineArn: process.env.FG_STATE_MACHINE_ARN })
      : createLocalTaskReporter();
    return configured;
  }
}
