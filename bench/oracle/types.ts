import type { Page } from "playwright-core";

export interface OracleContext {
  url: string;
  email: string;
  password: string;
  /** Waits for the vendor's mail and returns its code or link. */
  verification(kind: "code" | "link"): Promise<string>;
  card?: { number: string; expiry: string; cvc: string; name: string };
}

/** A hand-written Playwright flow for one vendor; returns the API key it read off the page. */
export type Oracle = (page: Page, ctx: OracleContext) => Promise<string>;
