import { Workflow } from "@fg/core/workflow/index";
import { workflowHandler } from "./step.ts";

/** WaitForApproval invokes this with `lambda:invoke.waitForTaskToken`: `{ jobId, accountId, taskToken }`. */
export const handler = workflowHandler(Workflow.requestApproval);
