import { mkdirSync } from "node:fs";
import path from "node:path";
import { Config } from "@fg/core";
import sparticuz from "@sparticuz/chromium";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { createSsrfGuard, type SsrfGuard } from "./ssrf.ts";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let unpacked: Promise<string> | undefined;

/**
 * The browser binary: FG_CHROMIUM_PATH if set, else the Chromium bundled in @sparticuz/chromium. That
 * package inflates its brotli archive into os.tmpdir(), which reads TMPDIR on every call, so pointing
 * TMPDIR at $FG_HOME/chromium for the duration of the unpack keeps the binary inside the project.
 */
export function chromiumPath(): Promise<string> {
  const override = process.env.FG_CHROMIUM_PATH;
  if (override) return Promise.resolve(override);
  unpacked ??= (async () => {
    const dir = path.join(path.resolve(Config.get().FG_HOME), "chromium");
    mkdirSync(dir, { recursive: true });
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      return await sparticuz.executablePath();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  })().catch((error: unknown) => {
    unpacked = undefined;
    throw error;
  });
  return unpacked;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

export interface JobContextOptions {
  storageState?: string;
  allowLoopback: boolean;
  onBlocked?: (url: string, reason: string) => void;
}

export interface JobContext {
  context: BrowserContext;
  guard: SsrfGuard;
}

/** One isolated context per job; every request, including iframes and redirects, passes the SSRF guard. */
export async function newJobContext(browser: Browser, options: JobContextOptions): Promise<JobContext> {
  const context = await browser.newContext({
    serviceWorkers: "block",
    acceptDownloads: false,
    viewport: { width: 1280, height: 900 },
    ...(options.storageState ? { storageState: JSON.parse(options.storageState) } : {}),
  });
  const guard = createSsrfGuard({ allowLoopback: options.allowLoopback });
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    const verdict = await guard.check(url);
    if (verdict.allowed) return route.continue();
    options.onBlocked?.(url, verdict.reason ?? "blocked");
    return route.abort("blockedbyclient");
  });
  await context.routeWebSocket(/.*/, async (ws) => {
    const verdict = await guard.check(ws.url());
    if (verdict.allowed) ws.connectToServer();
    else {
      options.onBlocked?.(ws.url(), verdict.reason ?? "blocked");
      ws.close({ code: 1008, reason: "blocked" });
    }
  });
  return { context, guard };
}

interface StorageGlobals {
  location: { origin: string };
  localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
}

/**
 * The session to save (Playwright's storage-state shape): every cookie of the context plus the local storage
 * of the origins the page has open. `context.storageState()` would also open a hidden page for every other
 * origin the job ever touched (the card network's checkout frame, for one) to read storage no vendor session
 * depends on.
 */
export async function sessionState(context: BrowserContext, page: Page | undefined): Promise<string> {
  const cookies = await context.cookies();
  const origins = new Map<string, { name: string; value: string }[]>();
  for (const frame of page && !page.isClosed() ? page.frames() : []) {
    const entry = await frame
      .evaluate(() => {
        const g = globalThis as unknown as StorageGlobals;
        const items: { name: string; value: string }[] = [];
        for (let i = 0; i < g.localStorage.length; i++) {
          const name = g.localStorage.key(i);
          if (name !== null) items.push({ name, value: g.localStorage.getItem(name) ?? "" });
        }
        return { origin: g.location.origin, items };
      })
      .catch(() => undefined);
    if (entry && entry.items.length > 0 && entry.origin.startsWith("http"))
      origins.set(entry.origin, entry.items);
  }
  return JSON.stringify({
    cookies,
    origins: [...origins].map(([origin, localStorage]) => ({ origin, localStorage })),
  });
}
