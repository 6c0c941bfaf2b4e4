import { Workflow } from "@fg/core/workflow/index";
import { workflowHandler } from "./step.ts";

export const handler = workflowHandler(Workflow.plan);
