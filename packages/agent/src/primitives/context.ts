import type { Job } from "@fg/core";
import type { SecretRegistry } from "@fg/core/secret/index";
import type { Skill } from "../skills/skill.ts";
import type { Observation, Tools } from "../tools.ts";
import type { Primitive } from "./names.ts";

export type PrimitiveResult =
  | { status: "done"; note?: string }
  | { status: "failed"; reason: string; retryable: boolean; code?: FailureCode }
  | { status: "needs_human"; reason: string };

export type FailureCode =
  | "account_exists"
  | "bad_credentials"
  | "card_declined"
  | "not_found"
  | "vendor_error"
  | "signed_out";

export interface PrimitiveContext {
  primitive: Primitive;
  tools: Tools;
  skill: Skill;
  baseUrl: string;
  goal: Job.Goal;
  plan?: string;
  secrets: SecretRegistry;
  /** Observes the page, clearing cookie banners and popups first. */
  look(): Promise<Observation>;
  /** Profile values that are not secret (name, company) for forms. */
  profile: {
    fullName: string;
    firstName: string;
    lastName: string;
    company: string;
    username: string;
    keyName: string;
  };
  /** Fetches the verification mail and registers {{VERIFICATION_CODE}} / {{VERIFICATION_LINK}}. */
  awaitVerification(kind: "signup" | "reset"): Promise<"code" | "link">;
  signal?: AbortSignal;
  /** Key-shaped values seen before this job created its key, so extraction takes the new one. */
  knownKeys: Set<string>;
}

export interface Planner {
  kind: "deterministic" | "llm";
  run(ctx: PrimitiveContext): Promise<PrimitiveResult>;
  /** LLM calls made so far (0 for the deterministic planner). */
  calls(): number;
}

export const ok = (note?: string): PrimitiveResult => ({ status: "done", ...(note ? { note } : {}) });
export const fail = (reason: string, retryable = true, code?: FailureCode): PrimitiveResult => ({
  status: "failed",
  reason,
  retryable,
  ...(code ? { code } : {}),
});
export const human = (reason: string): PrimitiveResult => ({ status: "needs_human", reason });
