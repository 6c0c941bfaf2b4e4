import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretRegistry } from "@fg/core/secret/index";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newJobContext } from "../src/browser.ts";
import { classify } from "../src/classify.ts";
import { deterministicPlanner } from "../src/primitives/deterministic.ts";
import { runAgent } from "../src/run.ts";
import { boundSnapshot, parseSnapshot } from "../src/snapshot.ts";
import { classifyAddress, createSsrfGuard } from "../src/ssrf.ts";
import { Tools } from "../src/tools.ts";
import { asAccount, newAccount, newJob, startWorld, type World } from "./harness.ts";

let browser: Browser;
let server: Server;
let base: string;
const pages: Record<string, string> = {
  "/metadata": `<h1>Docs</h1><img src="http://169.254.169.254/latest/meta-data/iam/"><script>fetch("http://169.254.169.254/latest/api/token").catch(() => {})</script>`,
  "/form": `<h1>Sign up</h1><label>Email <input id="email"></label><label>Password <input id="pw" type="password"></label><button>Create account</button>`,
  "/save": `<h1>Profile</h1><p id="status">Not saved</p><button onclick="document.getElementById('status').textContent = 'Saving…'; fetch('/slow').then((r) => r.text()).then((t) => { document.getElementById('status').textContent = t; })">Save</button>`,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/slow") {
      setTimeout(() => res.end("Saved"), 800);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><html><body>${pages[req.url ?? ""] ?? "<h1>Home</h1>"}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the SSRF guard", () => {
  it.each([
    ["169.254.169.254", "metadata"],
    ["10.0.0.8", "private"],
    ["172.20.1.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["fe80::1", "link_local"],
    ["fd00:ec2::254", "metadata"],
    ["fc00::5", "private"],
    ["0.0.0.0", "reserved"],
    ["93.184.216.34", "public"],
    ["2606:4700::1111", "public"],
  ])("classifies %s as %s", (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it("refuses a public-looking name that resolves to a private address", async () => {
    const guard = createSsrfGuard({ allowLoopback: false, resolve: async () => ["203.0.113.9", "10.1.2.3"] });
    expect(await guard.check("https://vendor.example/signup")).toMatchObject({ allowed: false });
    const open = createSsrfGuard({ allowLoopback: false, resolve: async () => ["93.184.216.34"] });
    expect(await open.check("https://vendor.example/signup")).toEqual({ allowed: true });
  });

  it("allows loopback only when told to", async () => {
    expect((await createSsrfGuard({ allowLoopback: false }).check(`${base}/`)).allowed).toBe(false);
    expect((await createSsrfGuard({ allowLoopback: true }).check(`${base}/`)).allowed).toBe(true);
  });

  it("blocks a page's requests to the cloud metadata address inside the browser", async () => {
    const blocked: string[] = [];
    const { context } = await newJobContext(browser, {
      allowLoopback: true,
      onBlocked: (url) => blocked.push(url),
    });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/metadata`);
      await page.waitForLoadState("load");
      await expect
        .poll(() => blocked.filter((u) => u.includes("169.254.169.254")).length)
        .toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });

  it("fails a job whose vendor sits on a private address when loopback vendors are not allowed", async () => {
    const previous = process.env.FG_ALLOW_LOOPBACK_VENDORS;
    delete process.env.FG_ALLOW_LOOPBACK_VENDORS;
    try {
      await asAccount(await newAccount(), async () => {
        const jobId = await newJob("nimbus-db");
        const events: { type: string; data: Record<string, unknown> }[] = [];
        const result = await runAgent({
          jobId,
          vendor: `${base}/`,
          goal: "api_key",
          maxSpend: 0,
          planner: deterministicPlanner(),
          browser,
          emit: (e) => void events.push(e),
        });
        expect(result.outcome).toBe("failed");
        expect(result.reason).toMatch(/SSRF guard/);
        expect(events.some((e) => e.type === "agent.blocked")).toBe(true);
      });
    } finally {
      if (previous !== undefined) process.env.FG_ALLOW_LOOPBACK_VENDORS = previous;
    }
  });
});

describe("perception and tools", () => {
  async function withPage<R>(
    path: string,
    cb: (page: Page, tools: Tools, secrets: SecretRegistry) => Promise<R>,
  ): Promise<R> {
    const { context } = await newJobContext(browser, { allowLoopback: true });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    const secrets = new SecretRegistry();
    const tools = new Tools({
      page: () => page,
      secrets,
      snapshotTokens: 2000,
      onAction: () => {},
      onExtract: async () => "cred_x",
    });
    try {
      return await cb(page, tools, secrets);
    } finally {
      await context.close();
    }
  }

  it("types secrets by reference, redacts them from snapshots and masks them in screenshots", async () => {
    await withPage("/form", async (page, tools, secrets) => {
      secrets.register("PASSWORD", "Sup3r-secret-pass!");
      secrets.register("EMAIL", "abcdefgh@inbox.fg.test");
      await tools.type({ role: "textbox", name: "Email" }, "{{EMAIL}}");
      await tools.type({ role: "textbox", name: "Password" }, "{{PASSWORD}}");
      expect(await page.locator("#pw").inputValue()).toBe("Sup3r-secret-pass!");
      const o = await tools.observe();
      expect(o.text).not.toContain("abcdefgh@inbox.fg.test");
      expect(o.page.type).toBe("signup");
      const png = await tools.screenshot();
      const box = await page.locator("#email").boundingBox();
      const probe = await page.evaluate(pixelAt, {
        src: `data:image/png;base64,${png.toString("base64")}`,
        x: Math.round((box?.x ?? 0) + 5),
        y: Math.round((box?.y ?? 0) + 5),
      });
      expect(probe).toEqual([255, 0, 255, 255]);
      expect(JSON.stringify(tools.actions)).not.toContain("Sup3r-secret-pass!");
    });
  });

  it("finishes a click only once the request it started has answered and the page shows it", async () => {
    await withPage("/save", async (page, tools) => {
      await tools.click({ role: "button", name: "Save" });
      expect(await page.locator("#status").textContent()).toBe("Saved");
      expect((await tools.observe()).text).toContain("Saved");
    });
  });

  it("refuses an unknown secret reference instead of typing it", async () => {
    await withPage("/form", async (_page, tools) => {
      await expect(tools.type({ role: "textbox", name: "Email" }, "{{CARD_NUMBER}}")).rejects.toThrow(
        /Unknown secret reference/,
      );
    });
  });

  it("bounds a large snapshot to its token budget and keeps the controls", () => {
    const lines = ['- heading "Keys" [level=1] [ref=e1]'];
    for (let i = 0; i < 2000; i++)
      lines.push(`- paragraph [ref=e${i + 2}]: filler text number ${i} that says nothing useful at all`);
    lines.push('- button "Create key" [ref=e9999]');
    const bounded = boundSnapshot(lines.join("\n"), 500);
    expect(bounded.length).toBeLessThanOrEqual(2000);
    expect(bounded).toContain('button "Create key"');
    expect(bounded).toContain("lines omitted");
  });

  it.each([
    [
      '- heading "Security check" [level=1]\n- paragraph: Please verify you are a human.\n- img "CAPTCHA image"',
      "captcha",
    ],
    ['- heading "500 Internal Server Error" [level=1]', "error"],
    [
      '- heading "Log in" [level=1]\n- textbox "Email" [ref=e1]\n- textbox "Password" [ref=e2]\n- button "Log in" [ref=e3]',
      "login",
    ],
    ['- heading "Check your inbox" [level=1]\n- textbox "Verification code" [ref=e1]', "verify-email"],
    ['- heading "API tokens" [level=2]\n- button "Generate token" [ref=e1]', "api-keys"],
  ])("classifies a page as %#", (snapshot, type) => {
    expect(classify(parseSnapshot(snapshot)).type).toBe(type);
  });
});

describe("wobbly-crm's CAPTCHA", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ wobbly: { captchaRate: 1, errorRate: 0, delayMs: [50, 100], seed: 7 } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("ends the job as needs_human, with masked evidence, instead of crashing or hanging", async () => {
    await asAccount(await newAccount(), async () => {
      const jobId = await newJob("wobbly-crm");
      const result = await runAgent({
        jobId,
        vendor: "wobbly-crm",
        vendorUrl: world.vendors["wobbly-crm"].url,
        goal: "api_key",
        maxSpend: 0,
        planner: deterministicPlanner(),
        browser: world.browser,
      });
      expect(result.outcome).toBe("needs_human");
      expect(result.reason).toMatch(/CAPTCHA/);
    });
  }, 120_000);
});

// Runs in the page: decodes the PNG and reads one pixel (the package has no DOM typings).
async function pixelAt({ src, x, y }: { src: string; x: number; y: number }): Promise<number[]> {
  // biome-ignore lint/suspicious/noExplicitAny: browser globals without DOM typings
  const g = globalThis as any;
  const img = new g.Image();
  img.src = src;
  await img.decode();
  const canvas = g.document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  return Array.from(ctx.getImageData(x, y, 1, 1).data as number[]);
}
