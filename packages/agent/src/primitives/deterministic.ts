import { PATTERNS } from "../classify.ts";
import type { SnapshotNode } from "../snapshot.ts";
import { looksLikeKey, type Observation, ToolError } from "../tools.ts";
import { fail, human, ok, type Planner, type PrimitiveContext, type PrimitiveResult } from "./context.ts";
import {
  FIELD_ROLES,
  FORM_ERRORS,
  fields,
  findAction,
  inside,
  KEY_PATHS,
  LOGIN_PATHS,
  linkUnderApiHeading,
  NAV,
  openDialog,
  optionsOf,
  SIGNUP_PATHS,
  SUBMIT,
  target,
  valueForField,
} from "./heuristics.ts";
import type { Primitive } from "./names.ts";

type Routine = (ctx: PrimitiveContext) => Promise<PrimitiveResult>;

const MAX_FORM_STEPS = 6;

/** Skills and heuristics only: no model, no network beyond the vendor. */
export function deterministicPlanner(): Planner {
  return {
    kind: "deterministic",
    calls: () => 0,
    run: (ctx) => routines[ctx.primitive](ctx),
  };
}

function bodyText(o: Observation): string {
  return o.nodes.map((n) => `${n.name} ${n.value ?? ""}`).join("\n");
}

function guard(o: Observation, signedInOnly = false): PrimitiveResult | undefined {
  if (o.page.type === "captcha") return human("The vendor shows a CAPTCHA that needs a person");
  if (o.page.type === "error") return fail("The vendor answered with an error page", true, "vendor_error");
  if (signedInOnly && o.page.type === "login") return fail("The vendor signed us out", false, "signed_out");
  return undefined;
}

async function go(ctx: PrimitiveContext, path: string): Promise<Observation> {
  await ctx.tools.navigate(new URL(path, ctx.baseUrl).href);
  return ctx.look();
}

/** Reaches a page of the wanted type: the current page, a link to it, the skill's path, then common paths. */
async function reach(
  ctx: PrimitiveContext,
  wanted: Observation["page"]["type"][],
  nav: RegExp[],
  paths: (string | undefined)[],
): Promise<Observation | undefined> {
  let o = await ctx.look();
  if (wanted.includes(o.page.type)) return o;
  const link = findAction(o.nodes, nav);
  if (link) {
    await ctx.tools.click(target(link));
    o = await ctx.look();
    if (wanted.includes(o.page.type)) return o;
  }
  for (const path of paths) {
    if (!path) continue;
    try {
      o = await go(ctx, path);
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      continue;
    }
    if (wanted.includes(o.page.type)) return o;
    const again = findAction(o.nodes, nav);
    if (again && !paths.includes(undefined)) {
      await ctx.tools.click(target(again));
      o = await ctx.look();
      if (wanted.includes(o.page.type)) return o;
    }
  }
  return undefined;
}

/** Fills what the form asks for, ticks the terms, submits; repeats for multi-step forms. */
async function fillForm(
  ctx: PrimitiveContext,
  purpose: "signup" | "login" | "code" | "reset" | "checkout",
  submit: RegExp[],
  stillHere: (o: Observation) => boolean,
): Promise<{ o: Observation; result?: PrimitiveResult }> {
  let o = await ctx.look();
  for (let step = 0; step < MAX_FORM_STEPS; step++) {
    const blocked = guard(o);
    if (blocked) return { o, result: blocked };
    const filledNow = new Set<string>();
    for (const field of fields(o.nodes)) {
      const value = valueForField(
        field,
        ctx,
        purpose === "checkout" ? "checkout" : purpose === "reset" ? "signup" : purpose,
      );
      if (value === undefined) continue;
      const current = field.value ?? "";
      if (
        current &&
        !/password/i.test(field.name) &&
        ctx.secrets.redact(current) === current &&
        !value.startsWith("{{")
      )
        continue;
      await ctx.tools.type(target(field), value);
      filledNow.add(field.ref ?? "");
    }
    for (const box of o.nodes.filter((n) => n.role === "checkbox" && n.ref && !("checked" in n.attrs))) {
      if (
        /terms|agree|accept|privacy|policy|conditions|confirm/i.test(box.name) &&
        !/newsletter|marketing|offers|updates/i.test(box.name)
      ) {
        await ctx.tools.check(target(box));
      }
    }
    for (const combo of o.nodes.filter((n) => n.role === "combobox" && n.ref)) {
      const options = optionsOf(o.nodes, combo);
      const selected = options.find((opt) => "selected" in opt.attrs);
      if (selected && !/^(select|choose|--|please)/i.test(selected.name)) continue;
      const pick = options.find((opt) => opt.name && !/^(select|choose|--|please)/i.test(opt.name));
      if (pick) await ctx.tools.select(target(combo), pick.name);
    }
    const dialog = purpose === "checkout" ? undefined : openDialog(o.nodes);
    // The submit button follows the fields it submits; header buttons ("Get started") come before them.
    const from = Math.max(
      0,
      o.nodes.findIndex((n) => FIELD_ROLES.has(n.role)),
    );
    const button =
      findAction(o.nodes, submit, {
        roles: ["button"],
        from,
        ...(dialog !== undefined ? { within: dialog } : {}),
      }) ??
      findAction(o.nodes, submit, { roles: ["button", "link"], from }) ??
      findAction(o.nodes, submit, { roles: ["button", "link"] });
    if (button) await ctx.tools.click(target(button));
    else if (filledNow.size > 0) await ctx.tools.press("Enter");
    else return { o, result: fail(`No way to submit the ${purpose} form`, false) };
    o = await answerTo(ctx, o);
    const text = bodyText(o);
    if (purpose === "signup" && FORM_ERRORS.exists.test(text)) {
      return { o, result: fail("An account with this email already exists", false, "account_exists") };
    }
    if (purpose === "login" && FORM_ERRORS.badCredentials.test(text)) {
      return { o, result: fail("The vendor rejected the login", false, "bad_credentials") };
    }
    if (purpose === "checkout" && FORM_ERRORS.declined.test(text)) {
      return { o, result: fail("The card was declined", false, "card_declined") };
    }
    const after = guard(o);
    if (after) return { o, result: after };
    if (!stillHere(o)) return { o };
  }
  return { o, result: fail(`The ${purpose} form did not complete`, true) };
}

const routines: Record<Primitive, Routine> = {
  async accept_cookies(ctx) {
    const o = await ctx.tools.observe();
    const button = findAction(o.nodes, [PATTERNS.cookieAccept], { roles: ["button", "link"] });
    if (!button) return ok("no banner");
    await ctx.tools.click(target(button), { timeoutMs: 2_000, orGone: true }).catch((error: unknown) => {
      if (!(error instanceof ToolError)) throw error;
    });
    const after = await ctx.tools.observe();
    return after.page.overlays.includes("cookie-banner") ? fail("The cookie banner stayed", true) : ok();
  },

  async dismiss_popup(ctx) {
    const o = await ctx.tools.observe();
    const dialog = openDialog(o.nodes);
    const close =
      (dialog !== undefined
        ? findAction(o.nodes, [PATTERNS.closeAction], { roles: ["button", "link"], within: dialog })
        : undefined) ?? findAction(o.nodes, [PATTERNS.closeAction], { roles: ["button"] });
    try {
      if (close) await ctx.tools.click(target(close), { timeoutMs: 2_000, orGone: true });
      else await ctx.tools.press("Escape");
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
    }
    const after = await ctx.tools.observe();
    return after.page.overlays.includes("popup") ? fail("The popup stayed", true) : ok();
  },

  async signup(ctx) {
    const o = await reach(ctx, ["signup"], NAV.signup, [ctx.skill.paths?.signup, ...SIGNUP_PATHS, "/"]);
    if (!o) return fail("Could not find the sign-up form", true, "not_found");
    const { result } = await fillForm(
      ctx,
      "signup",
      ctx.skill.wording?.submitSignup ? [ctx.skill.wording.submitSignup, ...SUBMIT.signup] : SUBMIT.signup,
      (p) => p.page.type === "signup",
    );
    return result ?? ok();
  },

  async login(ctx) {
    const o = await reach(ctx, ["login"], NAV.login, [ctx.skill.paths?.login, ...LOGIN_PATHS]);
    if (!o) {
      const now = await ctx.look();
      if (["dashboard", "api-keys"].includes(now.page.type)) return ok("already signed in");
      return guard(now) ?? fail("Could not find the login form", true, "not_found");
    }
    const { result } = await fillForm(ctx, "login", SUBMIT.login, (p) => p.page.type === "login");
    return result ?? ok();
  },

  async verify_email(ctx) {
    const kind = await ctx.awaitVerification("signup");
    if (kind === "link") {
      await ctx.tools.navigate("{{VERIFICATION_LINK}}");
      const o = await ctx.look();
      return guard(o) ?? ok();
    }
    const o = await ctx.look();
    const codeField = fields(o.nodes).find((f) => valueForField(f, ctx, "code") === "{{VERIFICATION_CODE}}");
    if (!codeField) return fail("No field for the verification code", true);
    const { result } = await fillForm(ctx, "code", SUBMIT.code, (p) => p.page.type === "verify-email");
    return result ?? ok();
  },

  async choose_plan(ctx) {
    const plan = ctx.plan ?? "";
    const planWord = new RegExp(plan.replace(/[^a-z0-9 ]/gi, ""), "i");
    let o = await ctx.look();
    if (o.page.type === "checkout") return ok("already at checkout");
    const onPricing = () => o.nodes.some((n) => planWord.test(n.name) && n.role !== "link");
    if (!onPricing()) {
      const reached = await reach(ctx, ["pricing", "checkout"], NAV.pricing, [
        ctx.skill.paths?.pricing,
        "/pricing",
        "/billing",
        "/plans",
      ]);
      if (reached) o = reached;
      if (o.page.type === "checkout") return ok();
    }
    const choose = /choose|select|subscribe|buy|get|start|upgrade|continue|pick/i;
    const direct = o.nodes.find(
      (n) =>
        (n.role === "button" || n.role === "link") && n.ref && planWord.test(n.name) && choose.test(n.name),
    );
    const radio = o.nodes.find((n) => n.role === "radio" && n.ref && planWord.test(n.name));
    if (direct) await ctx.tools.click(target(direct));
    else if (radio) {
      await ctx.tools.check(target(radio));
      const next = findAction(
        (await ctx.look()).nodes,
        [/^(continue|next|subscribe|checkout|choose|select|upgrade)/i],
        { roles: ["button"] },
      );
      if (next) await ctx.tools.click(target(next));
    } else {
      const at = o.nodes.findIndex(
        (n) =>
          ["heading", "text", "paragraph", "cell", "region", "article", "listitem", "group"].includes(
            n.role,
          ) && planWord.test(n.name),
      );
      const button =
        at >= 0
          ? o.nodes
              .slice(at)
              .find((n) => (n.role === "button" || n.role === "link") && n.ref && choose.test(n.name))
          : undefined;
      if (!button) return fail(`No way to choose the ${plan} plan`, true, "not_found");
      await ctx.tools.click(target(button));
    }
    o = await ctx.look();
    return guard(o) ?? ok();
  },

  async checkout(ctx) {
    let o = await ctx.look();
    if (!o.nodes.some((n) => n.frame && FIELD_ROLES.has(n.role)) && o.page.type !== "checkout") {
      return fail("Not on a checkout page", true, "not_found");
    }
    for (
      let i = 0;
      i < 3 &&
      !o.nodes.some((n) => n.frame && FIELD_ROLES.has(n.role)) &&
      !o.nodes.some((n) => /card ?number/i.test(n.name));
      i++
    ) {
      await ctx.tools.waitFor({ text: "Card number", timeoutMs: 10_000 });
      o = await ctx.look();
    }
    for (const field of fields(o.nodes)) {
      const value = valueForField(field, ctx, "checkout");
      if (value?.startsWith("{{CARD")) await ctx.tools.type(target(field), value);
    }
    const pay = findAction(
      o.nodes,
      [/^(pay|subscribe|pay now|complete|confirm|purchase|place order)/i, /pay|subscribe|purchase/i],
      { roles: ["button"] },
    );
    if (!pay) return fail("No pay button on the checkout", false, "not_found");
    // Exactly one submission: a payment is never retried blindly, the page must answer first.
    await ctx.tools.click(target(pay));
    for (let i = 0; i < 6; i++) {
      const after = await ctx.look();
      const text = bodyText(after);
      if (FORM_ERRORS.declined.test(text)) return fail("The card was declined", false, "card_declined");
      if (after.page.type !== "checkout" || /success|thank you|payment received|paid|confirmed/i.test(text))
        return ok();
      await ctx.tools.waitFor({ timeoutMs: 10_000 });
    }
    return fail("The checkout did not confirm the payment", false);
  },

  async navigate_to_api_keys(ctx) {
    const words = ctx.skill.wording?.keysNav ? [ctx.skill.wording.keysNav, ...NAV.apiKeys] : NAV.apiKeys;
    let o = await ctx.look();
    if (o.page.type === "api-keys") return ok();
    if (ctx.skill.paths?.apiKeys) {
      o = await go(ctx, ctx.skill.paths.apiKeys);
      if (o.page.type === "api-keys") return ok();
    }
    const visited = new Set<string>();
    for (let hop = 0; hop < 6; hop++) {
      const blocked = guard(o, true);
      if (blocked) return blocked;
      const pick = [
        findAction(o.nodes, words),
        linkUnderApiHeading(o.nodes),
        ...o.nodes.filter(
          (n) =>
            n.ref &&
            ["link", "button", "menuitem", "tab"].includes(n.role) &&
            NAV.settings.some((re) => re.test(n.name)),
        ),
        findAction(o.nodes, NAV.menu, { roles: ["button"] }),
      ]
        .filter((n): n is SnapshotNode => !!n)
        .find((n) => !visited.has(`${n.role}:${n.name}`));
      if (!pick) break;
      visited.add(`${pick.role}:${pick.name}`);
      await ctx.tools.click(target(pick));
      o = await ctx.look();
      if (o.page.type === "api-keys") return ok();
    }
    for (const path of KEY_PATHS) {
      try {
        o = await go(ctx, path);
      } catch (error) {
        if (!(error instanceof ToolError)) throw error;
        continue;
      }
      if (o.page.type === "api-keys") return ok();
      const out = guard(o, true);
      if (out) return out;
    }
    return fail("Could not find where the vendor issues API keys", true, "not_found");
  },

  async create_api_key(ctx) {
    let o = await ctx.look();
    const signedOut = guard(o, true);
    if (signedOut) return signedOut;
    // A retry can find the key dialog of an earlier attempt still open (modal: everything behind it is
    // covered). Its key is this job's, and a half-done form there is finished rather than started again.
    // A page that already is the creation form (a "Key name" field) is filled in directly too.
    const onForm = fields(o.nodes).some(
      (f) => /key|token|credential/i.test(f.name) && valueForField(f, ctx, "key") !== undefined,
    );
    if (keyDialog(o) === undefined && !onForm) {
      for (const key of keyValues(o, ctx)) ctx.knownKeys.add(key);
      const create = [
        ...(ctx.skill.wording?.createKey ? [ctx.skill.wording.createKey] : []),
        /^(\+ ?)?(create|generate|new|add)( a)?( new)?( api| secret| access| personal access)? (key|token|password)$/i,
        /(create|generate|new|add).*(key|token|password)/i,
        /^(create|generate|new)$/i,
      ];
      const button = findAction(o.nodes, create, { roles: ["button", "link"] });
      if (!button) return fail("No button to create a key", true, "not_found");
      await ctx.tools.click(target(button));
      o = await ctx.look();
    }
    for (let step = 0; step < 3; step++) {
      if (keyVisible(o, ctx) || findReveal(o, ctx)) return ok();
      const dialog = openDialog(o.nodes);
      const scope = dialog !== undefined ? o.nodes.filter((_, i) => i > dialog) : o.nodes;
      for (const field of fields(scope)) {
        const value = valueForField(field, ctx, "key");
        if (value && !field.value) await ctx.tools.type(target(field), value);
      }
      const confirm = findAction(
        o.nodes,
        [
          /^(create|generate|save|confirm|continue|ok|done)$/i,
          /^(create|generate|add|save)\b.*\b(key|token)s?$/i,
          /create|generate/i,
        ],
        {
          roles: ["button"],
          ...(dialog !== undefined ? { within: dialog } : {}),
        },
      );
      if (!confirm) break;
      await ctx.tools.click(target(confirm));
      o = await answerTo(ctx, o, (after) => keyVisible(after, ctx) || findReveal(after, ctx) !== undefined);
      const blocked = guard(o);
      if (blocked) return blocked;
    }
    return keyVisible(o, ctx) || findReveal(o, ctx)
      ? ok()
      : (guard(o, true) ?? fail("The new key did not appear", true));
  },

  async extract_key(ctx) {
    let o = await ctx.look();
    for (let attempt = 0; attempt < 2 && !keyVisible(o, ctx); attempt++) {
      const reveal = revealForOurKey(o, ctx) ?? findReveal(o, ctx);
      if (!reveal) break;
      await ctx.tools.click(target(reveal));
      o = await ctx.look();
      if (!keyVisible(o, ctx)) {
        await ctx.tools.waitFor({ timeoutMs: 5_000 });
        o = await ctx.look();
      }
    }
    const holder = keyHolder(o, ctx);
    if (!holder) return fail("No API key visible on the page", true, "not_found");
    await ctx.tools.extractSecret(target(holder), {
      ...(ctx.skill.keyPattern ? { pattern: ctx.skill.keyPattern } : {}),
      label: "API key",
    });
    return ok();
  },

  async forgot_password(ctx) {
    const o = await reach(ctx, ["login"], NAV.login, [ctx.skill.paths?.login, ...LOGIN_PATHS]);
    const link = o ? findAction(o.nodes, [/forgot|reset/i]) : undefined;
    if (!link) return fail("No password reset on this site", false, "not_found");
    await ctx.tools.click(target(link));
    const asked = await fillForm(
      ctx,
      "reset",
      SUBMIT.reset,
      (p) => fields(p.nodes).some((f) => /e-?mail/i.test(f.name)) && !/sent|check/i.test(bodyText(p)),
    );
    if (asked.result) return asked.result;
    const kind = await ctx.awaitVerification("reset");
    if (kind !== "link") return fail("The reset mail had no link", false);
    await ctx.tools.navigate("{{VERIFICATION_LINK}}");
    const { result } = await fillForm(ctx, "signup", [/reset|save|update|set|change|continue|submit/i], (p) =>
      fields(p.nodes).some((f) => /password/i.test(f.name)),
    );
    return result ?? ok();
  },
};

function keyValues(o: Observation, ctx: PrimitiveContext): string[] {
  const pattern = ctx.skill.keyPattern;
  return o.nodes
    .flatMap((n) => [n.name, n.value ?? ""])
    .flatMap((s) => s.split(/\s+/))
    .filter((t) => (pattern ? pattern.test(t) : false) || looksLikeKey(t));
}

/** An open dialog about keys or tokens (creating one, or showing a new one). */
function keyDialog(o: Observation): number | undefined {
  const dialog = openDialog(o.nodes);
  if (dialog === undefined) return undefined;
  const text = o.nodes
    .filter((n, i) => i === dialog || inside(o.nodes, n, dialog))
    .map((n) => `${n.name} ${n.value ?? ""}`)
    .join("\n");
  return /\b(api|key|keys|token|tokens|secret|credential)\b/i.test(text) ? dialog : undefined;
}

/**
 * The page after a form was submitted. While it still shows the same controls and text as before the
 * submission, the vendor has not answered (a slow fetch or post): waiting, instead of submitting again,
 * keeps every form to one submission (one account, one key).
 */
async function answerTo(
  ctx: PrimitiveContext,
  before: Observation,
  answered: (o: Observation) => boolean = () => false,
): Promise<Observation> {
  let o = await ctx.look();
  for (let round = 0; round < 3 && !answered(o) && sameView(before, o); round++) {
    await ctx.tools.waitFor({ timeoutMs: 5_000 });
    o = await ctx.look();
  }
  return o;
}

/** The same controls and text, ignoring refs, focus and field values. */
function sameView(a: Observation, b: Observation): boolean {
  const view = (o: Observation) => o.nodes.map((n) => `${n.role}:${n.name}`).join("\n");
  return a.url === b.url && view(a) === view(b);
}

function revealForOurKey(o: Observation, ctx: PrimitiveContext): SnapshotNode | undefined {
  const at = o.nodes.findIndex(
    (n) => n.name.includes(ctx.profile.keyName) || (n.value ?? "").includes(ctx.profile.keyName),
  );
  if (at < 0) return undefined;
  return o.nodes
    .slice(at, at + 8)
    .find((n) => n.role === "button" && n.ref && /^(reveal|show|view)/i.test(n.name));
}

function candidates(o: Observation, ctx: PrimitiveContext): SnapshotNode[] {
  const pattern = ctx.skill.keyPattern;
  const find = (test: (t: string) => boolean) => {
    const matches = (s: string) => s.split(/\s+/).some((t) => !ctx.knownKeys.has(t) && test(t));
    return o.nodes.filter((n) => (n.value && matches(n.value)) || matches(n.name));
  };
  const byPattern = pattern ? find((t) => pattern.test(t)) : [];
  return byPattern.length ? byPattern : find(looksLikeKey);
}

function keyVisible(o: Observation, ctx: PrimitiveContext): boolean {
  return candidates(o, ctx).length > 0;
}

/** The element holding the key: the node itself when it has a ref, else its nearest ancestor with one. */
function keyHolder(o: Observation, ctx: PrimitiveContext): SnapshotNode | undefined {
  const found = candidates(o, ctx)[0];
  if (!found) return undefined;
  if (found.ref) return found;
  const index = o.nodes.indexOf(found);
  for (let i = index - 1; i >= 0; i--) {
    const n = o.nodes[i] as SnapshotNode;
    if (n.depth < found.depth && n.ref) return n;
  }
  return undefined;
}

function findReveal(o: Observation, ctx: PrimitiveContext): SnapshotNode | undefined {
  return findAction(
    o.nodes,
    [
      ...(ctx.skill.wording?.reveal ? [ctx.skill.wording.reveal] : []),
      /^(reveal|show|view|unhide|display)( (key|token|secret|api key))?$/i,
      /reveal|show key/i,
    ],
    {
      roles: ["button", "link", "switch"],
    },
  );
}
