import type { SecretName, SecretRegistry } from "@fg/core/secret/index";
import type { Frame, Locator, Page } from "playwright-core";
import { classify, type PageClass } from "./classify.ts";
import { scrubKeyCandidates } from "./key-shape.ts";
import { boundSnapshot, parseSnapshot, type SnapshotNode } from "./snapshot.ts";

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
const PROBE_KEY = `__fg_probe_${Math.random().toString(36).slice(2)}`;

interface CachedSnapshot {
  raw: string;
  /** Per-frame document id + mutation count taken just before the snapshot. */
  token: string;
  at: number;
}

/** The browser actions both planners drive. Every string that leaves here is redacted. */
export class Tools {
  readonly masked: Locator[] = [];
  readonly actions: ActionRecord[] = [];
  last?: Observation;
  /** The latest ai-mode snapshot (also what `aria-ref=` resolves against) while nothing changed since. */
  private cache?: CachedSnapshot;

  constructor(readonly host: ToolHost) {}

  private get page(): Page {
    return this.host.page();
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
    const token = await this.probe();
    const cached = this.cache && token && this.cache.token === token && Date.now() - this.cache.at < REUSE_MS;
    // Parsing and redaction always rerun: secrets registered since the last look must be redacted too.
    const raw = cached && this.cache ? this.cache.raw : await this.rawSnapshot(page, token);
    const nodes = parseSnapshot(raw);
    const htmlChars = this.host.measureHtml ? await this.htmlSize() : 0;
    const scrubbed = scrubKeyCandidates(raw, this.host.secrets);
    const text = boundSnapshot(this.host.secrets.redact(scrubbed), this.host.snapshotTokens);
    this.last = {
      url: this.host.secrets.redact(page.url()),
      title: this.host.secrets.redact(await page.title().catch(() => "")),
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
          frame.evaluate(probeInPage, PROBE_KEY).catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000).unref()),
        ]),
      ),
    );
    if (parts.some((p) => p === undefined)) return undefined;
    return frames.map((f, i) => `${f.url()}#${parts[i]}`).join("|");
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
    const before = await this.before();
    this.invalidate();
    const click = locator.click({ timeout: options.timeoutMs ?? 10_000 }).then(() => "clicked" as const);
    const gone = options.orGone
      ? locator
          .waitFor({ state: "detached", timeout: options.timeoutMs ?? 10_000 })
          .then(() => "gone" as const)
          .catch(() => new Promise<never>(() => undefined))
      : new Promise<never>(() => undefined);
    const outcome = await Promise.race([click, gone]).catch((error: unknown) => {
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
    await locator.fill(value, { timeout: 10_000 });
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

  /** Waits for the page to change, or for some text to appear; bounded, event-driven, never a fixed sleep. */
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
        await this.quiet(250, 1_000);
      }
      return this.record("wait_for", "timed out", undefined, options.text);
    }
    const before = await this.before();
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
    let seen: string | undefined;
    while (Date.now() < deadline) {
      await this.page.waitForLoadState("domcontentloaded", { timeout: timeoutMs }).catch(() => undefined);
      const token = await this.probe();
      if (token === undefined || token !== seen) {
        seen = token;
        if ((await this.fingerprint()) !== before) return true;
      }
      await this.quiet(50, 500);
    }
    return false;
  }

  /** Lets the page finish what an action started: navigation, then the DOM going quiet. */
  async settle(before?: string): Promise<void> {
    if (before !== undefined) await this.untilChanged(before, 3_000);
    await this.page.waitForLoadState("domcontentloaded", { timeout: 30_000 }).catch(() => undefined);
    await this.quiet(120, 4_000);
  }

  /** Resolves once the DOM saw no mutation for `quietMs` (or after `maxMs`). */
  private async quiet(quietMs: number, maxMs: number): Promise<void> {
    await this.page
      .evaluate(quietInPage, [quietMs, maxMs] as const)
      .catch(() => this.page.waitForLoadState("domcontentloaded").catch(() => undefined));
  }
}

interface PageGlobals {
  MutationObserver: new (
    cb: () => void,
  ) => { observe(target: unknown, options: object): void; disconnect(): void };
  document: unknown;
}

// Runs inside the page; the package compiles without DOM typings, hence the narrow cast.
function quietInPage([quietMs, maxMs]: readonly [number, number]): Promise<void> {
  const g = globalThis as unknown as PageGlobals;
  return new Promise<void>((resolve) => {
    let timer = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
    const observer = new g.MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    observer.observe(g.document, { subtree: true, childList: true, attributes: true, characterData: true });
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      clearTimeout(cap);
      resolve();
    }
  });
}

// Runs inside each frame; installs a mutation counter on first call and reports "<doc id>:<count>".
function probeInPage(key: string): string {
  const g = globalThis as unknown as Record<string, unknown> & PageGlobals;
  let probe = g[key] as { id: string; n: number; o: { takeRecords(): unknown[] } } | undefined;
  if (!probe) {
    const state = { id: Math.random().toString(36).slice(2), n: 0, o: undefined as never };
    const observer = new g.MutationObserver(() => {
      state.n++;
    }) as unknown as { observe(t: unknown, o: object): void; takeRecords(): unknown[] };
    observer.observe(g.document, { subtree: true, childList: true, attributes: true, characterData: true });
    state.o = observer as never;
    Object.defineProperty(g, key, { value: state, enumerable: false });
    probe = state;
  }
  probe.n += probe.o.takeRecords().length;
  return `${probe.id}:${probe.n}`;
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
