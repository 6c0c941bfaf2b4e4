import { randomBytes } from "node:crypto";
import { Credential, Job, Vendor, VendorState } from "@fg/core";
import { Email } from "@fg/core/email/index";
import { log, serializeError } from "@fg/core/logger/index";
import { type SecretRegistry, Secrets } from "@fg/core/secret/index";
import { Vault } from "@fg/core/vault/index";
import { VendorCatalog } from "@fg/core/vendor/catalog";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type ArtifactStore, localArtifacts } from "./artifacts.ts";
import { launchBrowser, newJobContext, sessionState } from "./browser.ts";
import { PATTERNS, type PageType } from "./classify.ts";
import type { Planner, PrimitiveContext, PrimitiveResult } from "./primitives/context.ts";
import { deterministicPlanner } from "./primitives/deterministic.ts";
import type { Primitive } from "./primitives/names.ts";
import { skillFor } from "./skills/index.ts";
import type { Skill } from "./skills/skill.ts";
import { timed } from "./timing.ts";
import { type Observation, ToolError, Tools } from "./tools.ts";

export interface AgentEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface RunAgentInput {
  jobId: string;
  /** A demo vendor slug (its skill) or an https:// URL (the generic fallback). */
  vendor: string;
  goal: Job.Goal;
  plan?: string;
  /** Cents; a paid plan above this is refused before any checkout. */
  maxSpend: number;
  planner: Planner;
  emit?: (event: AgentEvent) => void | Promise<void>;
  signal?: AbortSignal;
  /** Base URL of a slug vendor; defaults to FG_VENDOR_URL_<SLUG> (the local runtime sets these). */
  vendorUrl?: string;
  email?: Email.Resolver;
  artifacts?: ArtifactStore;
  /** Reuse a running browser (one context per job is still created); launched and closed here otherwise. */
  browser?: Browser;
  snapshotTokens?: number;
  maxRelaunches?: number;
  /** Also record each page's HTML size in `stats.pages` (benchmark only; off by default, it costs time). */
  measureHtml?: boolean;
}

export interface AgentResult {
  outcome: "succeeded" | "failed" | "needs_human";
  /** Credential ids (cred_…) of what was extracted; values are only in the vault. */
  credentials: string[];
  /** Cents the vendor charged the job's card. */
  spent: number;
  reason: string | null;
  stats: {
    primitives: number;
    llmCalls: number;
    relaunches: number;
    /** htmlChars is 0 unless the run was asked to `measureHtml`. */
    pages: { type: PageType; snapshotChars: number; htmlChars: number }[];
  };
}

interface RunState {
  authed: boolean;
  accountExists: boolean;
  pendingVerify: boolean;
  paid: boolean;
  keyCreated: boolean;
  keyStored: boolean;
  loginRejected: boolean;
  completed: Primitive[];
  failures: Map<Primitive, number>;
  credentials: string[];
  spent: number;
  storageState?: string;
  lastUrl?: string;
}

class Stop extends Error {
  constructor(
    readonly outcome: "failed" | "needs_human",
    readonly reason: string,
  ) {
    super(reason);
  }
}

const MAX_PRIMITIVE_RUNS = 30;
const MAX_ATTEMPTS = 3;
const EMAIL_TIMEOUT_MS = 90_000;

const ALTERNATIVE: Partial<Record<Primitive, Primitive>> = { login: "forgot_password" };
const SESSION_CHANGING = new Set<Primitive>(["signup", "login", "verify_email", "forgot_password"]);

function isBrowserFailure(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error);
  return /Target (page|context|browser|crashed)|has been closed|browser has disconnected|Page crashed|Navigation timeout|page\.goto: Timeout|net::ERR_(CONNECTION|TIMED_OUT|EMPTY_RESPONSE)/i.test(
    message,
  );
}

function vendorBaseUrl(input: RunAgentInput): string {
  if (Vendor.isUrl(input.vendor)) return input.vendor;
  const url =
    input.vendorUrl ?? process.env[`FG_VENDOR_URL_${input.vendor.toUpperCase().replace(/-/g, "_")}`];
  if (!url) throw new Stop("failed", `No URL is configured for vendor ${input.vendor}`);
  return url;
}

function newPassword(): string {
  return `${randomBytes(15).toString("base64url")}a9!Q`;
}

/**
 * Runs one provisioning job in a fresh browser context: signs up or logs in, verifies the address, pays
 * if the plan costs money, and extracts an API key into the vault. Must run under an actor scoped to the
 * job's account. Never throws for vendor or browser trouble; the result says what happened.
 */
export async function runAgent(input: RunAgentInput): Promise<AgentResult> {
  const secrets = Secrets.forJob(input.jobId);
  const emit = async (type: string, data: Record<string, unknown>) => {
    try {
      await input.emit?.({ type, data: secrets.redactDeep(data) });
    } catch (error) {
      log.warn("agent event could not be emitted", {
        jobId: input.jobId,
        type,
        error: serializeError(error),
      });
    }
  };
  const artifacts = input.artifacts ?? localArtifacts();
  const email = input.email ?? Email.use();
  const skill: Skill = Vendor.isUrl(input.vendor) ? skillFor("") : skillFor(input.vendor);
  const run: RunState = {
    authed: false,
    accountExists: false,
    pendingVerify: false,
    paid: false,
    keyCreated: false,
    keyStored: false,
    loginRejected: false,
    completed: [],
    failures: new Map(),
    credentials: [],
    spent: 0,
  };
  const stats: AgentResult["stats"] = { primitives: 0, llmCalls: 0, relaunches: 0, pages: [] };
  const ownsBrowser = !input.browser;
  let browser: Browser | undefined = input.browser;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let tools: Tools | undefined;
  let lastPageType: string | undefined;
  let inbox: string | undefined;
  let mailSince = new Date(Date.now() - 1000).toISOString();
  const seenMail = new Set<string>();
  // A primitive that finished but whose effect on the run state was not recorded before a crash.
  let unapplied: { primitive: Primitive; result: PrimitiveResult } | undefined;

  const finish = async (outcome: AgentResult["outcome"], reason: string | null): Promise<AgentResult> => {
    stats.llmCalls = input.planner.calls();
    if (outcome !== "succeeded" && tools && page && !page.isClosed()) {
      await saveEvidence(outcome, reason).catch((error: unknown) =>
        log.warn("failure evidence could not be saved", { jobId: input.jobId, error: serializeError(error) }),
      );
    }
    const result: AgentResult = {
      outcome,
      credentials: run.credentials,
      spent: run.spent,
      reason: reason && secrets.redact(reason),
      stats,
    };
    await emit("agent.finished", {
      outcome,
      reason: result.reason,
      credentials: run.credentials.length,
      spent: run.spent,
    });
    return result;
  };

  const saveEvidence = async (outcome: string, reason: string | null) => {
    if (!tools || !page) return;
    const image = await tools.screenshot();
    const shot = await artifacts.put(input.jobId, "failure.png", image, "image/png");
    const trace = secrets.redactDeep({
      jobId: input.jobId,
      vendor: input.vendor,
      outcome,
      reason,
      completed: run.completed,
      url: tools.last?.url,
      page: tools.last?.page,
      snapshot: tools.last?.text,
      actions: tools.actions.slice(-50),
    });
    const traceFile = await artifacts.put(
      input.jobId,
      "trace.json",
      JSON.stringify(trace, null, 2),
      "application/json",
    );
    await emit("agent.artifacts", { screenshot: shot, trace: traceFile });
  };

  const openContext = async () => {
    browser ??= await launchBrowser();
    const job = await newJobContext(browser, {
      allowLoopback: Vendor.loopbackAllowed(),
      ...(run.storageState ? { storageState: run.storageState } : {}),
      onBlocked: (url, reason) => void emit("agent.blocked", { url, reason }),
    });
    context = job.context;
    page = await context.newPage();
    await dismissOverlaysAutomatically(page);
    context.on("page", (opened) => {
      page = opened;
    });
    const blocked = new Map<string, string>();
    job.context.on("requestfailed", (request) => {
      if (request.failure()?.errorText.includes("BLOCKED_BY_CLIENT"))
        blocked.set(request.url(), "blocked by the SSRF guard");
    });
    tools = new Tools({
      page: () => page as Page,
      secrets,
      snapshotTokens: input.snapshotTokens ?? 3000,
      measureHtml: !!input.measureHtml,
      onAction: (action) => void emit("agent.action", { ...action }),
      onExtract: async (value, label) => {
        const credential = await Credential.store({
          jobId: input.jobId,
          vendor: input.vendor,
          kind: "api_key",
          label,
          value,
        });
        run.credentials.push(credential.id);
        return credential.id;
      },
      onBlockedNavigation: (url) => (blocked.has(url) ? `${url} was refused by the SSRF guard` : undefined),
    });
  };

  const closeContext = async () => {
    await context?.close().catch(() => undefined);
    context = undefined;
  };

  const look = async (): Promise<Observation> => {
    const t = tools as Tools;
    for (let i = 0; ; i++) {
      const o = await t.observe();
      stats.pages.push({ type: o.page.type, snapshotChars: o.snapshotChars, htmlChars: o.htmlChars });
      if (o.page.type !== lastPageType) {
        lastPageType = o.page.type;
        await emit("agent.page", { type: o.page.type, overlays: o.page.overlays, url: o.url });
      }
      const overlay = o.page.overlays[0];
      if (!overlay || i >= 3) return o;
      const primitive: Primitive = overlay === "cookie-banner" ? "accept_cookies" : "dismiss_popup";
      await emit("agent.primitive.started", { primitive, interrupt: true });
      const result = await deterministicPlanner()
        .run(primitiveContext(primitive))
        .catch((error: unknown): PrimitiveResult => {
          if (isBrowserFailure(error)) throw error;
          return {
            status: "failed",
            reason: String((error as Error).message).split("\n")[0] ?? "failed",
            retryable: true,
          };
        });
      await emit("agent.primitive.ended", { primitive, status: result.status });
    }
  };

  const awaitVerification = async (kind: "signup" | "reset"): Promise<"code" | "link"> => {
    if (!inbox) throw new Stop("failed", "No inbox was created for this job");
    const message = await email.waitFor(inbox, {
      timeoutMs: EMAIL_TIMEOUT_MS,
      since: mailSince,
      ...(skill.emailFrom ? { from: skill.emailFrom } : {}),
    });
    if (seenMail.has(message.id)) throw new ToolError("No new mail arrived");
    seenMail.add(message.id);
    const code = Email.extractCode(message);
    const link = Email.extractLink(message, { vendorHost: new URL(baseUrl).hostname });
    if (code) secrets.register("VERIFICATION_CODE", code);
    if (link) {
      secrets.register("VERIFICATION_LINK", link);
      const url = new URL(link);
      for (const part of [...url.pathname.split("/"), ...url.searchParams.values()]) {
        if (/^[A-Za-z0-9_.~-]{16,}$/.test(part) && /\d/.test(part)) secrets.register("SECRET", part);
      }
    }
    await emit("email.received", {
      from: message.from,
      subject: message.subject,
      code: !!code,
      link: !!link,
    });
    mailSince = message.receivedAt;
    const codeField = tools?.last?.nodes.some((n) => n.role === "textbox" && /code|otp/i.test(n.name));
    const wantLink =
      kind === "reset" || skill.verification === "link" || (skill.verification !== "code" && !codeField);
    if (wantLink && link) return "link";
    if (code) return "code";
    if (link) return "link";
    throw new ToolError("The verification mail had neither a code nor a link");
  };

  let baseUrl = "";
  const primitiveContext = (primitive: Primitive): PrimitiveContext => ({
    primitive,
    tools: tools as Tools,
    skill,
    baseUrl,
    goal: input.goal,
    ...(input.plan ? { plan: input.plan } : {}),
    secrets,
    look,
    profile,
    awaitVerification,
    knownKeys,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const knownKeys = new Set<string>();
  const profile = {
    fullName: "Ada Lovelace",
    firstName: "Ada",
    lastName: "Lovelace",
    company: "Analytical Engines",
    username: `ada${randomBytes(3).toString("hex")}`,
    keyName: `fg-${input.jobId.slice(-6).toLowerCase()}`,
  };

  try {
    baseUrl = vendorBaseUrl(input);
    const catalogPlan = Vendor.isUrl(input.vendor)
      ? undefined
      : VendorCatalog.bySlug(input.vendor)?.plans.find(
          (p) => p.id === input.plan || p.name.toLowerCase() === input.plan?.toLowerCase(),
        );
    const wantsPaid =
      (catalogPlan ? catalogPlan.amount > 0 : !!input.plan && input.maxSpend > 0) ||
      input.goal === "subscription";
    if (catalogPlan && catalogPlan.amount > input.maxSpend) {
      return await finish(
        "failed",
        `The ${catalogPlan.name} plan costs ${catalogPlan.amount} cents, above the job's maximum spend`,
      );
    }
    if (wantsPaid) {
      await loadCard(input.jobId, secrets);
      // A rerun after a crash: the vendor already charged this job's card, so paying again would be declined
      // by the card's limit and lose the account the user paid for.
      const { spend } = await Job.get({ id: input.jobId });
      if (spend.spent > 0) {
        run.paid = true;
        run.spent = spend.spent;
      }
    }

    const known = await VendorState.get({ vendor: input.vendor });
    if (known.hasAccount && known.loginIdentityRef) {
      const identity = JSON.parse(
        await Vault.use().get(known.loginIdentityRef, { reason: `login for job ${input.jobId}` }),
      ) as {
        email: string;
        password: string;
        inbox?: string;
      };
      secrets.register("EMAIL", identity.email);
      secrets.register("PASSWORD", identity.password);
      inbox = identity.inbox ?? identity.email;
      run.accountExists = true;
      if (known.sessionStateRef) {
        run.storageState = await Vault.use()
          .get(known.sessionStateRef, { reason: `session reuse for job ${input.jobId}` })
          .catch(() => undefined);
      }
    }
    let identityRef = known.loginIdentityRef;
    // The sign-up identity (inbox, password in the vault): a new account always starts with a sign-up, so it
    // is prepared while the browser opens the vendor's page.
    const newIdentity = async (): Promise<string> => {
      inbox ??= (await email.createInbox(input.jobId)).address;
      const password = newPassword();
      secrets.register("EMAIL", inbox);
      secrets.register("PASSWORD", password);
      const { ref } = await Vault.use().put({
        kind: "password",
        value: JSON.stringify({ email: inbox, password, inbox }),
        vendor: input.vendor,
        label: "login",
      });
      return ref;
    };
    let identity = identityRef ? undefined : newIdentity();
    // Awaited where it is used; a failure surfaces there, not as an unhandled rejection.
    identity?.catch(() => undefined);

    await emit("agent.started", {
      vendor: input.vendor,
      skill: skill.id,
      planner: input.planner.kind,
      reuseSession: !!run.storageState,
    });

    for (let relaunch = 0; ; relaunch++) {
      try {
        await openContext();
        const t = tools as Tools;
        const start =
          run.lastUrl ??
          (run.storageState && skill.paths?.dashboard
            ? new URL(skill.paths.dashboard, baseUrl).href
            : !run.accountExists && skill.paths?.signup
              ? new URL(skill.paths.signup, baseUrl).href
              : baseUrl);
        await t.navigate(start);
        if (run.storageState && run.accountExists && !run.authed && relaunch === 0) {
          const o = await look();
          const signedIn = !["login", "signup", "verify-email", "captcha", "error"].includes(o.page.type);
          await emit("agent.session", { reused: signedIn });
          if (signedIn) run.authed = true;
        }
        while (true) {
          if (input.signal?.aborted) throw new Stop("failed", "The job was canceled");
          if (unapplied) {
            await apply(unapplied.primitive, unapplied.result);
            unapplied = undefined;
            continue;
          }
          const o = await timed("run.look", () => look());
          if (o.page.type === "captcha") throw new Stop("needs_human", "The vendor asks for a CAPTCHA");
          if (run.authed && o.page.type === "login") {
            run.authed = false;
            run.accountExists = true;
          }
          const next = decide(run, o, input.goal, wantsPaid);
          if (!next) break;
          if (stats.primitives >= MAX_PRIMITIVE_RUNS)
            throw new Stop("failed", "Too many steps without finishing");
          if (next === "signup" && !identityRef) {
            identity ??= newIdentity();
            identityRef = await identity;
          }
          if ((next === "forgot_password" || next === "verify_email") && !inbox) {
            throw new Stop("needs_human", "The account's mailbox is not one fg can read");
          }
          if (next === "signup" || next === "login" || next === "forgot_password")
            mailSince = new Date(Date.now() - 1000).toISOString();
          const result = await timed(`primitive.${next}`, () => attempt(next));
          unapplied = { primitive: next, result };
          await timed("run.apply", () => apply(next, result));
          unapplied = undefined;
          // Record the login as soon as the account exists: a rerun after a crash must log in, not sign up again.
          if (next === "signup" && run.accountExists && identityRef && !known.loginIdentityRef) {
            await VendorState.upsert({
              vendor: input.vendor,
              hasAccount: true,
              loginIdentityRef: identityRef,
              lastJobId: input.jobId,
            });
          }
        }
        break;
      } catch (error) {
        if (error instanceof Stop) throw error;
        if (!isBrowserFailure(error) || relaunch >= (input.maxRelaunches ?? 2)) throw error;
        stats.relaunches++;
        await emit("agent.relaunch", {
          after: run.completed.at(-1) ?? null,
          reason: String((error as Error).message).split("\n")[0],
        });
        await closeContext();
        if (ownsBrowser && browser && !browser.isConnected()) browser = undefined;
      }
    }

    if (run.accountExists && identityRef) {
      const state = context
        ? await timed("run.finalState", () => sessionState(context as BrowserContext, page))
        : undefined;
      const session = state
        ? await Vault.use().put({
            kind: "session_state",
            value: state,
            vendor: input.vendor,
            label: "browser session",
          })
        : undefined;
      await VendorState.upsert({
        vendor: input.vendor,
        hasAccount: true,
        loginIdentityRef: identityRef,
        lastJobId: input.jobId,
        ...(run.keyStored ? { hasKey: true } : {}),
        ...(session ? { sessionStateRef: session.ref } : {}),
        ...(run.credentials.length ? { addCredentialIds: run.credentials } : {}),
      });
    }
    return await finish("succeeded", null);
  } catch (error) {
    if (error instanceof Stop) return await finish(error.outcome, error.reason);
    log.error("agent run failed", { jobId: input.jobId, error: serializeError(error) });
    return await finish("failed", String((error as Error)?.message ?? error).split("\n")[0] ?? "failed");
  } finally {
    await closeContext();
    if (ownsBrowser) await browser?.close().catch(() => undefined);
  }

  async function attempt(primitive: Primitive): Promise<PrimitiveResult> {
    let current = primitive;
    for (let i = 1; ; i++) {
      stats.primitives++;
      await emit("agent.primitive.started", { primitive: current, attempt: i });
      let result: PrimitiveResult;
      try {
        result = await input.planner.run(primitiveContext(current));
      } catch (error) {
        if (error instanceof Stop || isBrowserFailure(error)) throw error;
        result = {
          status: "failed",
          reason: String((error as Error)?.message ?? error).split("\n")[0] ?? "failed",
          retryable: true,
        };
      }
      if (result.status === "done") {
        run.completed.push(current);
        run.lastUrl = page?.url();
        // What a relaunch restores. Only these primitives change who the browser is signed in as; the others
        // leave the session as it was, so saving it after them would only cost time on every step.
        if (SESSION_CHANGING.has(current))
          run.storageState = await timed("run.storageState", async () =>
            context ? sessionState(context, page) : run.storageState,
          );
      }
      await emit("agent.primitive.ended", {
        primitive: current,
        attempt: i,
        status: result.status,
        ...(result.status !== "done" ? { reason: result.reason } : {}),
      });
      if (result.status !== "failed") {
        return result.status === "done" && current !== primitive
          ? { status: "done", note: `via ${current}` }
          : result;
      }
      if (result.retryable && i < MAX_ATTEMPTS) {
        if (result.code === "vendor_error")
          await (tools as Tools).navigate(run.lastUrl ?? baseUrl).catch(() => undefined);
        continue;
      }
      const alternative = ALTERNATIVE[current];
      if (alternative && current === primitive && result.code !== "account_exists") {
        current = alternative;
        i = 0;
        continue;
      }
      return result;
    }
  }

  async function apply(primitive: Primitive, result: PrimitiveResult): Promise<void> {
    if (result.status === "needs_human") throw new Stop("needs_human", result.reason);
    if (result.status === "failed") {
      if (primitive === "signup" && result.code === "account_exists") {
        run.accountExists = true;
        return;
      }
      if (result.code === "signed_out" && (run.failures.get(primitive) ?? 0) < 2) {
        run.failures.set(primitive, (run.failures.get(primitive) ?? 0) + 1);
        run.authed = false;
        run.accountExists = true;
        return;
      }
      if (primitive === "extract_key" && (run.failures.get("extract_key") ?? 0) < 1) {
        run.failures.set("extract_key", 1);
        run.keyCreated = false;
        return;
      }
      throw new Stop("failed", `${primitive} failed: ${result.reason}`);
    }
    const o = await look();
    switch (primitive) {
      case "signup":
      case "login":
      case "forgot_password":
        run.accountExists = true;
        run.pendingVerify = o.page.type === "verify-email";
        run.authed = !run.pendingVerify && o.page.type !== "login" && o.page.type !== "signup";
        if (primitive === "login" && o.page.type === "login") run.loginRejected = true;
        break;
      case "verify_email":
        run.pendingVerify = o.page.type === "verify-email";
        run.authed =
          !run.pendingVerify &&
          o.page.type !== "login" &&
          !/(log|sign) ?in to continue|please (log|sign) ?in|(now|can) (log|sign) ?in/i.test(
            o.nodes.map((n) => `${n.name} ${n.value ?? ""}`).join(" "),
          );
        break;
      case "checkout":
        run.paid = true;
        run.spent = planAmount(input);
        break;
      case "create_api_key":
        run.keyCreated = true;
        break;
      case "extract_key":
        run.keyStored = true;
        break;
      default:
        break;
    }
  }
}

/**
 * Popups and banners can appear at any moment, even between a look and a click. Playwright runs these
 * handlers whenever such an overlay blocks an action, so the action proceeds instead of timing out.
 */
async function dismissOverlaysAutomatically(page: Page): Promise<void> {
  const popup = page
    .getByRole("dialog")
    .filter({ hasText: PATTERNS.popup })
    .filter({ hasNotText: PATTERNS.apiKeys });
  await page.addLocatorHandler(
    popup,
    async (dialog) => {
      const close = dialog
        .getByRole("button", { name: PATTERNS.closeAction })
        .or(dialog.getByRole("link", { name: PATTERNS.closeAction }));
      // Bounded and quiet: the overlay may already be closing (our own click raced this handler).
      if (await close.count())
        await close
          .first()
          .click({ timeout: 2_000 })
          .catch(() => undefined);
      else await page.keyboard.press("Escape").catch(() => undefined);
    },
    { noWaitAfter: true },
  );
  const banner = page.getByRole("dialog").filter({ hasText: PATTERNS.cookie });
  await page.addLocatorHandler(
    banner,
    async (dialog) => {
      const accept = dialog.getByRole("button", { name: PATTERNS.cookieAccept });
      if (await accept.count())
        await accept
          .first()
          .click({ timeout: 2_000 })
          .catch(() => undefined);
    },
    { noWaitAfter: true },
  );
}

function planAmount(input: RunAgentInput): number {
  if (Vendor.isUrl(input.vendor)) return input.maxSpend;
  const plan = VendorCatalog.bySlug(input.vendor)?.plans.find(
    (p) => p.id === input.plan || p.name.toLowerCase() === input.plan?.toLowerCase(),
  );
  return plan?.amount ?? input.maxSpend;
}

/** The next primitive from what fg knows (run state), what the page says and the goal; null when done. */
export function decide(run: RunState, o: Observation, goal: Job.Goal, wantsPaid: boolean): Primitive | null {
  if (!run.authed) {
    if (run.pendingVerify || (o.page.type === "verify-email" && run.accountExists)) return "verify_email";
    if (run.accountExists) {
      if (run.loginRejected) {
        if (run.completed.includes("forgot_password"))
          throw new Stop("failed", "The vendor keeps rejecting the login");
        return "forgot_password";
      }
      return "login";
    }
    return "signup";
  }
  if (wantsPaid && !run.paid)
    return run.completed.includes("choose_plan") || o.page.type === "checkout" ? "checkout" : "choose_plan";
  if (goal !== "account" && !run.keyStored) {
    if (!run.keyCreated) return o.page.type === "api-keys" ? "create_api_key" : "navigate_to_api_keys";
    return "extract_key";
  }
  return null;
}

async function loadCard(jobId: string, secrets: SecretRegistry): Promise<void> {
  const [card] = await Vault.use().list({ kind: "card", jobId });
  if (!card) throw new Stop("failed", "The job has no virtual card to pay with");
  const details = JSON.parse(await Vault.use().get(card.ref, { reason: `checkout for job ${jobId}` })) as {
    number: string;
    expiry: string;
    cvc: string;
    name: string;
  };
  secrets.register("CARD_NUMBER", details.number);
  secrets.register("CARD_EXPIRY", details.expiry);
  secrets.register("CARD_CVC", details.cvc);
  secrets.register("CARDHOLDER_NAME", details.name);
}
