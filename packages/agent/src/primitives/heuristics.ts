import { PATTERNS } from "../classify.ts";
import { CARD_FIELDS } from "../skills/card-network.ts";
import type { SnapshotNode } from "../snapshot.ts";
import type { Target } from "../tools.ts";
import type { PrimitiveContext } from "./context.ts";

export const FIELD_ROLES = new Set(["textbox", "searchbox", "spinbutton"]);

/** What to type into a form field, decided by what its label means; undefined = leave it alone. */
export function valueForField(
  node: SnapshotNode,
  ctx: PrimitiveContext,
  purpose: "signup" | "login" | "checkout" | "code" | "key" | "reset",
): string | undefined {
  const name = node.name.toLowerCase();
  if (/newsletter|subscribe|search/.test(name)) return undefined;
  if (purpose === "checkout" || node.frame) {
    const card = CARD_FIELDS.find((f) => f.name.test(name));
    if (card) return card.value;
  }
  if (/e-?mail/.test(name)) return "{{EMAIL}}";
  if (/password|passphrase/.test(name)) return "{{PASSWORD}}";
  if (purpose === "code" || /verification|one[- ]time|otp|code|pin\b/.test(name)) {
    return purpose === "code" || /code|otp|pin/.test(name) ? "{{VERIFICATION_CODE}}" : undefined;
  }
  if (purpose === "key")
    return /name|label|description|note|purpose/.test(name) ? ctx.profile.keyName : undefined;
  if (purpose === "login" || purpose === "reset")
    return /user ?name|login/.test(name) ? "{{EMAIL}}" : undefined;
  if (/first ?name|given name/.test(name)) return ctx.profile.firstName;
  if (/last ?name|surname|family name/.test(name)) return ctx.profile.lastName;
  if (/company|organi[sz]ation|workspace|team|business|project/.test(name)) return ctx.profile.company;
  if (/user ?name|handle/.test(name)) return ctx.profile.username;
  if (/full ?name|your name|^name$|display name/.test(name)) return ctx.profile.fullName;
  if (/phone|mobile/.test(name)) return "+15555550100";
  if (/website|url|domain/.test(name)) return "https://example.com";
  return undefined;
}

export const target = (n: SnapshotNode): Target =>
  n.ref ? { ref: n.ref, role: n.role, name: n.name } : { role: n.role, name: n.name };

export function fields(nodes: SnapshotNode[]): SnapshotNode[] {
  return nodes.filter((n) => FIELD_ROLES.has(n.role) && n.ref && !("disabled" in n.attrs));
}

const EXTERNAL_AUTH = /google|github|microsoft|apple|sso|saml|facebook|gitlab|okta|passkey|magic link/i;

/** The best button or link matching the first pattern that matches anything, skipping SSO buttons. */
export function findAction(
  nodes: SnapshotNode[],
  patterns: RegExp[],
  options: { roles?: string[]; exclude?: RegExp; within?: number; from?: number } = {},
): SnapshotNode | undefined {
  const roles = options.roles ?? ["button", "link", "menuitem", "tab"];
  for (const pattern of patterns) {
    const candidates = nodes.filter(
      (n, i) =>
        i >= (options.from ?? 0) &&
        roles.includes(n.role) &&
        n.ref &&
        !("disabled" in n.attrs) &&
        pattern.test(n.name.trim()) &&
        !EXTERNAL_AUTH.test(n.name) &&
        !(options.exclude?.test(n.name) ?? false) &&
        (options.within === undefined || inside(nodes, n, options.within)),
    );
    const button = candidates.find((n) => n.role === "button") ?? candidates[0];
    if (button) return button;
  }
  return undefined;
}

export function inside(nodes: SnapshotNode[], node: SnapshotNode, container: number): boolean {
  let current: number | undefined = node.container;
  while (current !== undefined) {
    if (current === container) return true;
    current = nodes[current]?.container;
  }
  return false;
}

export function openDialog(nodes: SnapshotNode[]): number | undefined {
  const index = nodes.findIndex((n) => n.role === "dialog" || n.role === "alertdialog");
  return index >= 0 ? index : undefined;
}

export const SUBMIT = {
  signup: [
    /^(sign ?up|create( my| an| your)? account|register|get started|join|start( for)? free|create)$/i,
    /sign ?up|create( my| an| your)? account|register/i,
    /^(continue|next|submit)$/i,
  ],
  login: [/^(log ?in|sign ?in)$/i, /log ?in|sign ?in/i, /^(continue|next|submit)$/i],
  code: [/^(verify|confirm|continue|submit|activate)( (email|code|account))?$/i, /verify|confirm|activate/i],
  reset: [/reset|send|continue|submit/i],
};

export const NAV = {
  signup: [
    /^(sign ?up|register|create (an |your )?account|get started|start( for)? free|try (it )?free)$/i,
    /sign ?up|register|create (an |your )?account|get started/i,
  ],
  login: [/^(log ?in|sign ?in)$/i, /log ?in|sign ?in/i],
  apiKeys: [
    /^api[ -]?keys?$/i,
    /api[ -]?keys?|api tokens?|access (keys?|tokens?)|personal access tokens?|application passwords?/i,
    /^(tokens?|keys|credentials|developers?|developer settings|api)$/i,
  ],
  settings: [
    /^(settings|security|account( settings)?|developer|developers|developer api|integrations|profile|project settings)$/i,
    /settings|security/i,
  ],
  menu: [/^(menu|account|account menu|open menu|user menu|profile|avatar)$/i],
  pricing: [/^(pricing|plans|billing|upgrade|choose( a)? plan)$/i, /pricing|plans?|billing|upgrade/i],
};

export const KEY_PATHS = [
  "/api-keys",
  "/settings/api-keys",
  "/settings/api",
  "/settings/tokens",
  "/account/api-keys",
  "/developer",
  "/tokens",
  "/settings/security",
];
export const SIGNUP_PATHS = ["/signup", "/sign-up", "/register", "/join"];
export const LOGIN_PATHS = ["/login", "/signin", "/sign-in", "/log-in"];

/** A link or button right after a heading that talks about API access ("Developer API" → "Manage"). */
export function linkUnderApiHeading(nodes: SnapshotNode[]): SnapshotNode | undefined {
  for (let i = 0; i < nodes.length; i++) {
    const heading = nodes[i] as SnapshotNode;
    if (heading.role !== "heading" || !/\bapi\b|tokens?|keys?|developer/i.test(heading.name)) continue;
    for (let j = i + 1; j < Math.min(nodes.length, i + 8); j++) {
      const n = nodes[j] as SnapshotNode;
      if (n.role === "heading") break;
      if ((n.role === "link" || n.role === "button") && n.ref) return n;
    }
  }
  return undefined;
}

export function isError(text: string): boolean {
  return PATTERNS.serverError.test(text);
}

export const FORM_ERRORS = {
  exists: /already (exists|registered|in use|taken|have an account)|account exists|email (is )?taken/i,
  badCredentials:
    /invalid (email|password|credentials|login)|incorrect (email|password)|wrong (email|password)|does not match|not recogni[sz]ed/i,
  declined: /declin|card (was )?refused|insufficient funds|payment failed|do not honou?r/i,
};

export function optionsOf(nodes: SnapshotNode[], combobox: SnapshotNode): SnapshotNode[] {
  const start = nodes.indexOf(combobox);
  const out: SnapshotNode[] = [];
  for (let i = start + 1; i < nodes.length; i++) {
    const n = nodes[i] as SnapshotNode;
    if (n.depth <= combobox.depth) break;
    if (n.role === "option") out.push(n);
  }
  return out;
}
