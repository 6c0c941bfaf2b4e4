import type { SecretName, SecretRegistry } from "@fg/core/secret/index";
import type { Frame, Locator, Page, Request } from "playwright-core";
import { classify, type PageClass } from "./classify.ts";
import { scrubKeyCandidates } from "./key-shape.ts";
import { boundSnapshot, parseSnapshot, type SnapshotNode } from "./snapshot.ts";
import { timed } from "./timing.ts";

export interface Target {
  ref?: string;
  role?: string;
  name?: string;
}

export interface Observation {
  url: string;
  title: string;
  nodes: SnapshotNode[];
  page: PageClass;
  /** Redacted and bounded: the only form a planner ever sees. */
  text: string;
  /** Size of the snapshot and, when the host asks for it, of the page's HTML (benchmark stats). */
  snapshotChars: number;
  htmlChars: number;
}

export interface ActionRecord {
  tool: string;
  target?: Target;
  input?: string;
  result: string;
  at: string;
}

export interface ToolHost {
  page(): Page;
  secrets: SecretRegistry;
  snapshotTokens: number;
  /** Measure the page's HTML size on every observation (benchmark stats only; costs a page round trip). */
  measureHtml?: boolean;
  /** Called with every action, already redacted. */
  onAction(action: ActionRecord): void;
  /** Stores an extracted secret; returns the credential id the planner may see. */
  onExtract(value: string, label: string): Promise<string>;
  onBlockedNavigation?(url: string): string | undefined;
}

export class ToolError extends Error {
  override readonly name = "ToolError";
}

const REFERENCE = /\{\{([A-Z_]+)\}\}/;
/** A snapshot is reused only while no frame saw a DOM mutation and for at most this long. */
const REUSE_MS = 2_000;
/**
 * How long the DOM must stay unchanged before an action counts as finished. Pending requests are waited
 * for separately, so this only has to cover rendering batched over a few animation frames.
 */
const QUIET_MS = 30;
/** Requests whose answer usually changes the page; images, fonts, beacons and streams are not waited on. */
const WAITED_ON = new Set(["document", "fetch", "xhr"]);
/**
 * A fetch or XHR pending longer than this is treated as background (a long poll), not as the page's answer.
 * A pending document is always waited for (within the settle bound): the page is about to be replaced.
 */
const REQUEST_WAIT_MS = 2_000;
const PROBE_KEY = `__fg_probe_${Math.random().toString(36).slice(2)}`;

interface CachedSnapshot {
  raw: string;
  /** Per-frame document id + mutation count taken just before the snapshot. */
  token: string;
  at: number;
  /** Read once per snapshot: a title change or any other DOM change is a mutation and drops the cache. */
  title?: string;
  htmlChars?: number;
}

/** The browser actions both planners drive. Every string that leaves here is redacted. */
export class Tools {
  readonly masked: Locator[] = [];
  readonly actions: ActionRecord[] = [];
  last?: Observation;
  /** The latest ai-mode snapshot (also what `aria-ref=` resolves against) while nothing changed since. */
  private cache?: CachedSnapshot;
  /** The raw snapshot behind `last`: what the caller last saw, the baseline `waitFor` compares against. */
  private seen?: string;
  /** Each frame's "<document id>:<mutations>" as of the last probe. */
  private probed?: { frame: Frame; count: string | undefined }[];
  /** Requests (document, fetch, XHR) the page is still waiting on and when each started, per page. */
  private readonly inFlight = new WeakMap<Page, Map<Request, number>>();

  constructor(readonly host: ToolHost) {}

  private get page(): Page {
    const page = this.host.page();
    // Track its requests from the first use, so a request an action starts is never missed.
    this.pending(page);
    return page;
  }

  private record(tool: string, result: string, target?: Target, input?: string): string {
    const redact = (s: string) => this.host.secrets.redact(s);
    const action: ActionRecord = {
      tool,
      result: redact(result),
      at: new Date().toISOString(),
      ...(target ? { target: this.host.secrets.redactDeep(target) } : {}),
      ...(input !== undefined ? { input: redact(input) } : {}),
    };
    this.actions.push(action);
    if (this.actions.length > 200) this.actions.shift();
    this.host.onAction(action);
    return action.result;
  }

  /**
   * Looks at the page. The snapshot taken after an action (or by the previous look) is reused when no
   * frame has mutated since, no tool changed a value and it is recent; otherwise a new one is taken.
   */
  async observe(): Promise<Observation> {
    const page = this.page;
    const token = await timed("observe.probe", () => this.probe());
    const cached = this.cache && token && this.cache.token === token && Date.now() - this.cache.at < REUSE_MS;
    // Parsing and redaction always rerun: secrets registered since the last look must be redacted too.
    const raw =
      cached && this.cache
        ? this.cache.raw
        : await timed("observe.snapshot", () => this.rawSnapshot(page, token));
    this.seen = raw;
    const entry = this.cache?.raw === raw ? this.cache : undefined;
    const [title, htmlChars] = await Promise.all([
      entry?.title ?? page.title().catch(() => ""),
      entry?.htmlChars ?? (this.host.measureHtml ? this.htmlSize() : 0),
    ]);
    if (entry) Object.assign(entry, { title, htmlChars });
    const nodes = parseSnapshot(raw);
    const scrubbed = scrubKeyCandidates(raw, this.host.secrets);
    const text = boundSnapshot(this.host.secrets.redact(scrubbed), this.host.snapshotTokens);
    this.last = {
      url: this.host.secrets.redact(page.url()),
      title: this.host.secrets.redact(title),
      nodes,
      page: classify(nodes, page.url()),
      text,
      snapshotChars: text.length,
      htmlChars,
    };
    return this.last;
  }

  private async htmlSize(): Promise<number> {
    return this.page
      .evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { outerHTML: string } } }).document
            .documentElement.outerHTML.length,
      )
      .catch(() => 0);
  }

  /** Forgets the cached snapshot: a tool is about to change something a DOM observer cannot see. */
  private invalidate(): void {
    this.cache = undefined;
  }

  /**
   * One cheap round trip per frame: a document id and how many DOM mutations it has seen (an observer is
   * installed on first use). Undefined when a frame cannot answer, e.g. mid-navigation.
   */
  private async probe(): Promise<string | undefined> {
    const frames = this.page.frames();
    const parts = await Promise.all(
      frames.map((frame) =>
        Promise.race([
          frame.evaluate<string>(inPage(PROBE, PROBE_KEY)).catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000).unref()),
        ]),
      ),
    );
    this.probed = frames.map((frame, i) => ({ frame, count: parts[i] }));
    if (parts.some((p) => p === undefined)) return undefined;
    return frames.map((f, i) => `${f.url()}#${parts[i]}`).join("|");
  }

  /**
   * Pauses until any frame's DOM mutates after the last probe (or a frame navigates), at most `ms`: polling
   * loops wake up on the change itself instead of sleeping through it.
   */
  private async nextChange(ms: number): Promise<void> {
    const page = this.page;
    let timer: NodeJS.Timeout | undefined;
    let onNavigated: (() => void) | undefined;
    const waits = (this.probed ?? []).map(({ frame, count }) =>
      frame
        .evaluate<void>(inPage(NEXT, [PROBE_KEY, count ?? "", ms]))
        .catch(() => new Promise<void>(() => undefined)),
    );
    try {
      await Promise.race([
        ...waits,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
          onNavigated = () => resolve();
          page.once("framenavigated", onNavigated);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onNavigated) page.off("framenavigated", onNavigated);
    }
  }

  private async rawSnapshot(page: Page, token?: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const raw = await page.ariaSnapshot({ mode: "ai", timeout: 10_000 });
        this.cache = token ? { raw, token, at: Date.now() } : undefined;
        return raw;
      } catch (error) {
        if (attempt >= 2 || !/navigat|context was destroyed|detached/i.test(String(error))) throw error;
        await page.waitForLoadState("domcontentloaded").catch(() => undefined);
      }
    }
  }

  /** Resolves a target to a locator: by snapshot ref, else by role and accessible name in any frame. */
  async locate(target: Target): Promise<Locator> {
    const page = this.page;
    if (target.ref) {
      const byRef = page.locator(`aria-ref=${target.ref}`);
      if ((await byRef.count().catch(() => 0)) > 0) return byRef.first();
      if (!target.role)
        throw new ToolError(`No element with ref ${target.ref}; take a fresh look at the page`);
    }
    if (!target.role) throw new ToolError("A target needs a ref or a role");
    const role = target.role as Parameters<Page["getByRole"]>[0];
    const frames: Frame[] = [page.mainFrame(), ...page.frames().filter((f) => f !== page.mainFrame())];
    for (const exact of [true, false]) {
      for (const frame of frames) {
        const locator = frame.getByRole(role, target.name ? { name: target.name, exact } : {});
        const visible = locator.filter({ visible: true });
        if ((await visible.count().catch(() => 0)) > 0) return visible.first();
      }
    }
    throw new ToolError(`No ${target.role} named "${target.name ?? ""}" on the page`);
  }

  async navigate(url: string): Promise<string> {
    const resolved = this.host.secrets.resolve(url);
    this.invalidate();
    try {
      const response = await this.page.goto(resolved, { waitUntil: "domcontentloaded", timeout: 30_000 });
      await this.settle();
      return this.record("navigate", `status ${response?.status() ?? "?"}`, undefined, url);
    } catch (error) {
      const blocked = this.host.onBlockedNavigation?.(resolved);
      const message = blocked ?? String((error as Error).message).split("\n")[0] ?? "navigation failed";
      this.record("navigate", `failed: ${message}`, undefined, url);
      throw new ToolError(this.host.secrets.redact(message));
    }
  }

  /**
   * Clicks and lets the page react. `orGone`: the target may vanish on its own (an overlay closed by a
   * locator handler); stop waiting for it then instead of running into the timeout.
   */
  async click(target: Target, options: { timeoutMs?: number; orGone?: boolean } = {}): Promise<string> {
    const locator = await this.locate(target);
    const before = await timed("click.before", () => this.before());
    this.invalidate();
    const click = locator.click({ timeout: options.timeoutMs ?? 10_000 }).then(() => "clicked" as const);
    const gone = options.orGone
      ? locator
          .waitFor({ state: "detached", timeout: options.timeoutMs ?? 10_000 })
          .then(() => "gone" as const)
          .catch(() => new Promise<never>(() => undefined))
      : new Promise<never>(() => undefined);
    const outcome = await timed("click.press", () => Promise.race([click, gone])).catch((error: unknown) => {
      if ((error as Error).name === "TimeoutError")
        throw new ToolError(
          `Could not click ${target.role ?? ""} "${target.name ?? target.ref ?? ""}": it stayed hidden or covered`,
        );
      throw error;
    });
    if (outcome === "gone") click.catch(() => undefined);
    await this.settle(before);
    return this.record("click", outcome === "gone" ? "target went away" : "clicked", target);
  }

  /** Types text; `{{NAME}}` references are resolved here and only here, then the field is masked. */
  async type(target: Target, text: string, options: { submit?: boolean } = {}): Promise<string> {
    const locator = await this.locate(target);
    const value = this.host.secrets.resolve(text);
    if (REFERENCE.test(text)) this.masked.push(locator);
    this.invalidate();
    await timed("type.fill", () => locator.fill(value, { timeout: 10_000 }));
    if (options.submit) {
      const before = await this.fingerprint();
      this.invalidate();
      await locator.press("Enter");
      await this.settle(before);
    }
    return this.record("type", options.submit ? "typed and submitted" : "typed", target, text);
  }

  async select(target: Target, option: string): Promise<string> {
    const locator = await this.locate(target);
    const value = this.host.secrets.resolve(option);
    this.invalidate();
    await locator.selectOption({ label: value }).catch(() => locator.selectOption(value));
    await this.settle();
    return this.record("select", "selected", target, option);
  }

  async check(target: Target, checked = true): Promise<string> {
    const locator = await this.locate(target);
    this.invalidate();
    await locator.setChecked(checked, { timeout: 10_000 });
    return this.record("check", checked ? "checked" : "unchecked", target);
  }

  async press(key: string, target?: Target): Promise<string> {
    const before = await this.before();
    this.invalidate();
    if (target) await (await this.locate(target)).press(key);
    else await this.page.keyboard.press(key);
    await this.settle(before);
    return this.record("press", "pressed", target, key);
  }

  /**
   * Waits for the page to differ from what the last look showed (so a change that landed between that look
   * and this call counts), or for some text to appear; bounded, event-driven, never a fixed sleep.
   */
  async waitFor(options: { text?: string; timeoutMs?: number } = {}): Promise<string> {
    const timeout = options.timeoutMs ?? 15_000;
    if (options.text) {
      const text = this.host.secrets.resolve(options.text);
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        for (const frame of this.page.frames()) {
          const found = await frame
            .getByText(text)
            .filter({ visible: true })
            .count()
            .catch(() => 0);
          if (found > 0) return this.record("wait_for", "appeared", undefined, options.text);
        }
        await this.probe();
        await this.nextChange(Math.min(500, Math.max(0, deadline - Date.now())));
      }
      return this.record("wait_for", "timed out", undefined, options.text);
    }
    const before = this.seen ?? (await this.before());
    const changed = await this.untilChanged(before, timeout);
    return this.record("wait_for", changed ? "page changed" : "no change");
  }

  async read(target: Target): Promise<string> {
    const locator = await this.locate(target);
    const text = await this.textOf(locator);
    return this.record("read", scrubKeyCandidates(text, this.host.secrets), target);
  }

  /**
   * Reads a secret off the page (revealing it first if the caller asked), keeps the value out of the
   * result, registers it as {{EXTRACTED_KEY}} and hands it to the vault through the host.
   */
  async extractSecret(target: Target, options: { pattern?: RegExp; label?: string } = {}): Promise<string> {
    const locator = await this.locate(target);
    const text = await this.textOf(locator);
    const value = pickSecret(text, options.pattern);
    if (!value) {
      this.record("extract_secret", "no secret-looking value in that element", target);
      throw new ToolError("That element does not contain a secret-looking value");
    }
    this.host.secrets.register("EXTRACTED_KEY" satisfies SecretName, value);
    this.masked.push(locator);
    const credentialId = await this.host.onExtract(value, options.label ?? "API key");
    return this.record("extract_secret", `stored as {{EXTRACTED_KEY}} (credential ${credentialId})`, target);
  }

  /** Screenshot with every input, every frame and every element that shows a secret painted over. */
  async screenshot(): Promise<Buffer> {
    const page = this.page;
    const live = await Promise.all(
      this.masked.map(async (l) => ((await l.count().catch(() => 0)) > 0 ? l : undefined)),
    );
    const mask: Locator[] = [
      ...live.filter((l): l is Locator => !!l),
      page.locator("input, textarea, select, [contenteditable], iframe, code, pre"),
    ];
    for (const [value] of this.host.secrets.entries()) mask.push(page.getByText(value, { exact: false }));
    const image = await page.screenshot({
      mask,
      maskColor: "#FF00FF",
      animations: "disabled",
      timeout: 10_000,
    });
    this.record("screenshot", `captured (${mask.length} masks)`);
    return image;
  }

  private async textOf(locator: Locator): Promise<string> {
    const tag = await locator.evaluate((el) => el.tagName.toLowerCase()).catch(() => "");
    if (tag === "input" || tag === "textarea") return locator.inputValue();
    const inner = await locator.innerText({ timeout: 5_000 }).catch(() => "");
    const values = await locator
      .locator("input, textarea")
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))
      .catch(() => [] as string[]);
    const attrs = await locator
      .locator("[data-key],[data-value],[data-secret],[data-clipboard-text]")
      .evaluateAll((els) =>
        els.map(
          (e) =>
            e.getAttribute("data-key") ??
            e.getAttribute("data-value") ??
            e.getAttribute("data-secret") ??
            e.getAttribute("data-clipboard-text") ??
            "",
        ),
      )
      .catch(() => [] as string[]);
    return [inner, ...values, ...attrs].join("\n");
  }

  async fingerprint(): Promise<string> {
    const token = await this.probe();
    // ai mode on purpose: a default-mode snapshot would reset the refs the planner is holding.
    return this.rawSnapshot(this.page, token).catch(() => {
      this.invalidate();
      return "";
    });
  }

  /** The page as it is now: the cached snapshot when nothing changed since, else a fresh one. */
  private async before(): Promise<string> {
    const token = await this.probe();
    if (this.cache && token && this.cache.token === token) return this.cache.raw;
    return this.fingerprint();
  }

  /**
   * Waits until the ARIA snapshot differs from `before`. Between snapshots it only polls the cheap
   * mutation probe, so an idle page costs one round trip per poll instead of a full snapshot.
   */
  private async untilChanged(before: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const start = withoutFocus(before);
    let seen: string | undefined;
    while (Date.now() < deadline) {
      await this.page.waitForLoadState("domcontentloaded", { timeout: timeoutMs }).catch(() => undefined);
      const token = await this.probe();
      if (token === undefined || token !== seen) {
        seen = token;
        if (withoutFocus(await this.fingerprint()) !== start) return true;
      }
      await this.nextChange(Math.min(250, Math.max(0, deadline - Date.now())));
    }
    return false;
  }

  /**
   * Lets the page finish what an action started: the page changing (when a `before` is given), the new
   * document loading, no request it started still pending, and the DOM going quiet.
   */
  async settle(before?: string): Promise<void> {
    if (before !== undefined) await timed("settle.change", () => this.untilChanged(before, 3_000));
    await timed("settle.load", () =>
      this.page.waitForLoadState("domcontentloaded", { timeout: 30_000 }).catch(() => undefined),
    );
    // After a plain load nothing has looked at the new page yet: take that look while the DOM goes quiet. A
    // mutation after it changes the probe token, so the next observe takes a fresh snapshot instead.
    const look = before === undefined ? this.fingerprint() : undefined;
    await timed("settle.quiet", () => this.quiet(QUIET_MS, 4_000));
    await look;
  }

  /**
   * Resolves once no document, fetch or XHR request of the page is pending (fetch and XHR only for up to
   * REQUEST_WAIT_MS) and the DOM then saw no mutation for `quietMs` (time it was already quiet counts), or
   * after `maxMs`.
   */
  private async quiet(quietMs: number, maxMs: number): Promise<void> {
    const page = this.page;
    const requests = this.pending(page);
    const waiting = () =>
      [...requests].some(
        ([request, at]) => request.resourceType() === "document" || Date.now() - at < REQUEST_WAIT_MS,
      );
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      while (waiting() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await page
        .evaluate(inPage(QUIET, [PROBE_KEY, quietMs, Math.max(0, deadline - Date.now())]))
        .catch(() => page.waitForLoadState("domcontentloaded").catch(() => undefined));
      if (!waiting()) return;
    }
  }

  /** The page's pending requests, tracked from the first time the tools see the page. */
  private pending(page: Page): Map<Request, number> {
    let pending = this.inFlight.get(page);
    if (!pending) {
      const requests = new Map<Request, number>();
      pending = requests;
      this.inFlight.set(page, requests);
      page.on("request", (request) => {
        if (WAITED_ON.has(request.resourceType())) requests.set(request, Date.now());
      });
      const done = (request: Request) => void requests.delete(request);
      page.on("requestfinished", done);
      page.on("requestfailed", done);
    }
    return pending;
  }
}

// Page-side helpers, kept as source text: a transpiler that preserves function names (tsx, esbuild's
// keepNames) injects a `__name` helper into compiled functions, which does not exist inside the page, and
// the evaluation would fail (silently, since the callers tolerate navigation errors).

/** Installs, once per document, a mutation counter that also remembers when the DOM last changed. */
const WATCH = `(key) => {
  let w = globalThis[key];
  if (!w) {
    const nav = performance.getEntriesByType("navigation")[0];
    const parsed = nav && nav.domContentLoadedEventEnd > 0 ? nav.domContentLoadedEventEnd : performance.now();
    w = { id: Math.random().toString(36).slice(2), n: 0, last: parsed };
    w.o = new MutationObserver((records) => { w.n += records.length; w.last = performance.now(); });
    w.o.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    Object.defineProperty(globalThis, key, { value: w, enumerable: false });
  }
  const pending = w.o.takeRecords().length;
  if (pending) { w.n += pending; w.last = performance.now(); }
  return w;
}`;

/** "<document id>:<mutations so far>". */
const PROBE = `(key) => { const w = (${WATCH})(key); return w.id + ":" + w.n; }`;

/**
 * Resolves once the DOM has seen no mutation for quietMs, counting the quiet time that already passed
 * (a page that settled while the agent was busy costs nothing), or after maxMs.
 */
const QUIET = `([key, quietMs, maxMs]) => new Promise((resolve) => {
  const deadline = performance.now() + maxMs;
  const check = () => {
    const w = (${WATCH})(key);
    const now = performance.now();
    const left = quietMs - (now - w.last);
    if (left <= 0 || now >= deadline) resolve();
    else setTimeout(check, Math.min(left, deadline - now));
  };
  check();
})`;

/** Resolves when the frame's mutation count moves past `count` ("<doc id>:<n>" from the probe), or after ms. */
const NEXT = `([key, count, ms]) => new Promise((resolve) => {
  const w = (${WATCH})(key);
  if (w.id + ":" + w.n !== count) return resolve();
  const observer = new MutationObserver(() => { observer.disconnect(); clearTimeout(timer); resolve(); });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const timer = setTimeout(() => { observer.disconnect(); resolve(); }, ms);
})`;

/** A call expression: Playwright evaluates a string as an expression and does not call a function it yields. */
function inPage(source: string, arg: unknown): string {
  return `(${source})(${JSON.stringify(arg)})`;
}

/**
 * The snapshot minus the focus marker. Clicking a button focuses it, which alone changes the snapshot; that
 * is not the page reacting (a form posted with fetch has not answered yet).
 */
function withoutFocus(raw: string): string {
  return raw.replace(/ \[active\]/g, "");
}

function pickSecret(text: string, pattern?: RegExp): string | undefined {
  const tokens = text.split(/[\s"'`<>(),;]+/).filter(Boolean);
  if (pattern) {
    const anchored = new RegExp(
      pattern.source.replace(/^\^/, "").replace(/\$$/, ""),
      pattern.flags.replace("g", ""),
    );
    const exact = tokens.find((t) => pattern.test(t));
    if (exact) return exact;
    const inside = anchored.exec(text);
    if (inside) return inside[0];
  }
  return tokens.filter(looksLikeKey).sort((a, b) => b.length - a.length)[0];
}

export function looksLikeKey(token: string): boolean {
  if (token.length < 16 || token.length > 256) return false;
  if (/^https?:/.test(token) || token.includes("@") || token.includes("•") || /\*{3,}/.test(token))
    return false;
  if (!/^[A-Za-z0-9][A-Za-z0-9_\-.]+$/.test(token)) return false;
  return /\d/.test(token) && /[A-Za-z]/.test(token);
}
