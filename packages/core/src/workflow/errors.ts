import { WorkflowErrors } from "./definition.ts";

/**
 * An error the state machine routes by name (Retry/Catch `ErrorEquals`): Lambda reports `name` as the
 * error type, and the local engine matches on `name` too.
 */
export class StepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export const canceled = (jobId: string) =>
  new StepError(WorkflowErrors.canceled, `Job ${jobId} was canceled`);
