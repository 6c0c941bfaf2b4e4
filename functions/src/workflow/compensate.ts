import { Workflow } from "@fg/core/workflow/index";
import { workflowHandler } from "./step.ts";

/** Both Compensate (`outcome: "failed"`) and CompensateCanceled (`outcome: "canceled"`) invoke this. */
export const handler = workflowHandler(Workflow.compensate);
