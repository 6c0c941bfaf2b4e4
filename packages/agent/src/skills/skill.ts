import type { Primitive } from "../primitives/names.ts";

/** What the agent knows about one vendor (or one kind of page) ahead of time. Every field is a hint. */
export interface Skill {
  id: string;
  /** Demo vendor slug; absent for tech skills and the generic fallback. */
  slug?: string;
  paths?: {
    signup?: string;
    login?: string;
    pricing?: string;
    apiKeys?: string;
    dashboard?: string;
  };
  /** How the vendor confirms an address. */
  verification?: "code" | "link" | "none";
  keyPattern?: RegExp;
  merchantDescriptor?: string;
  /** Sender filter for the vendor's mail. */
  emailFrom?: string;
  /** Words to find the right buttons when the generic wording fails. */
  wording?: Partial<Record<"createKey" | "reveal" | "plan" | "submitSignup" | "keysNav", RegExp>>;
  /** Free-text hints per primitive, shown to the LLM planner. */
  hints?: Partial<Record<Primitive, string>>;
}
