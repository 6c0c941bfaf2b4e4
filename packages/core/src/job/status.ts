import { z } from "zod";

export const Status = z.enum([
  "queued",
  "planning",
  "awaiting_approval",
  "charging",
  "issuing_card",
  "provisioning",
  "settling",
  "succeeded",
  "failed",
  "canceled",
  "needs_human",
]);
export type Status = z.infer<typeof Status>;

export const terminal: readonly Status[] = ["succeeded", "failed", "canceled", "needs_human"];

/**
 * SPEC §5. A free job (maxSpend 0) skips charging and issuing_card. Failure and cancel are possible from
 * every live state; compensation (refunds, card cancel) is a workflow step, not a state. `needs_human`
 * ends a job the agent could not finish alone (a CAPTCHA), after its money was settled.
 */
export const allowedTransitions: Record<Status, readonly Status[]> = {
  queued: ["planning", "failed", "canceled"],
  planning: ["awaiting_approval", "charging", "provisioning", "failed", "canceled"],
  awaiting_approval: ["charging", "provisioning", "failed", "canceled"],
  charging: ["issuing_card", "failed", "canceled"],
  issuing_card: ["provisioning", "failed", "canceled"],
  provisioning: ["settling", "failed", "canceled", "needs_human"],
  settling: ["succeeded", "failed", "canceled", "needs_human"],
  succeeded: [],
  failed: [],
  canceled: [],
  needs_human: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return allowedTransitions[from].includes(to);
}
