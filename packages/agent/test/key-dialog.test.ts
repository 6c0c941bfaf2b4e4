import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretRegistry } from "@fg/core/secret/index";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchBrowser, newJobContext } from "../src/browser.ts";
import type { PrimitiveContext } from "../src/primitives/context.ts";
import { deterministicPlanner } from "../src/primitives/deterministic.ts";
import type { Primitive } from "../src/primitives/names.ts";
import { skillFor } from "../src/skills/index.ts";
import { Tools } from "../src/tools.ts";

// A keys page shaped like nimbus-db's: "Create key" opens a modal dialog whose form posts with fetch and then
// shows the new key once. The server decides when the key request is answered.
const KEYS_PAGE = `<!doctype html><html><body>
<nav><a href="/keys">API keys</a></nav>
<main><h1>API keys</h1><button type="button" id="create-key">Create key</button><p>You have no API keys yet.</p>
<dialog id="key-dialog" aria-labelledby="t">
  <div id="form-step"><h2 id="t">Create API key</h2>
    <form id="key-form" method="dialog"><label for="key-name">Key name</label><input id="key-name" value="default">
    <button type="submit">Create</button><button type="button" id="cancel">Cancel</button></form></div>
  <div id="result-step" hidden><h2>Your new API key</h2><p>This key will only be shown once.</p>
    <code id="new-key"></code><button type="button" id="done">Done</button></div>
</dialog></main>
<script>
const dialog = document.getElementById("key-dialog");
document.getElementById("create-key").addEventListener("click", () => dialog.showModal());
document.getElementById("cancel").addEventListener("click", () => dialog.close());
document.getElementById("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await fetch("/api/keys", { method: "POST" });
  document.getElementById("new-key").textContent = (await response.json()).key;
  document.getElementById("form-step").hidden = true;
  document.getElementById("result-step").hidden = false;
});
</script></body></html>`;

// A sign-up form that posts with fetch and only then says so; the server decides when it answers.
const SIGNUP_PAGE = `<!doctype html><html><head><title>Sign up</title></head><body>
<main><h1>Create your account</h1>
<form id="signup"><label for="email">Email</label><input id="email" type="email">
<label for="password">Password</label><input id="password" type="password">
<button type="submit">Sign up</button></form><p id="done" hidden>Check your email to verify your account.</p></main>
<script>
document.getElementById("signup").addEventListener("submit", async (event) => {
  event.preventDefault();
  await fetch("/api/signup", { method: "POST" });
  document.getElementById("signup").remove();
  document.querySelector("h1").textContent = "Almost there";
  document.getElementById("done").hidden = false;
});
</script></body></html>`;

let browser: Browser;
let server: Server;
let base: string;
let issued: string[] = [];
let signups = 0;
/** How long the server sits on a key request before answering it. */
let answerAfterMs = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/api/signup") {
      signups++;
      setTimeout(() => res.end("{}"), answerAfterMs);
      return;
    }
    if (req.url === "/signup") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(SIGNUP_PAGE);
      return;
    }
    if (req.method === "POST" && req.url === "/api/keys") {
      const key = `nmb_live_${"Ab3".repeat(10)}${String(issued.length).padStart(2, "0")}`;
      issued.push(key);
      setTimeout(() => {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ key }));
      }, answerAfterMs);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(KEYS_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});
beforeEach(() => {
  issued = [];
  signups = 0;
  answerAfterMs = 0;
});

async function onKeysPage(
  cb: (
    page: Page,
    run: (p: Primitive) => ReturnType<ReturnType<typeof deterministicPlanner>["run"]>,
  ) => Promise<void>,
  path = "/keys",
): Promise<string[]> {
  const { context } = await newJobContext(browser, { allowLoopback: true });
  const extracted: string[] = [];
  try {
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    const secrets = new SecretRegistry();
    secrets.register("EMAIL", "ada@inbox.fg.test");
    secrets.register("PASSWORD", "correct horse battery staple 7!");
    const tools = new Tools({
      page: () => page,
      secrets,
      snapshotTokens: 2000,
      onAction: () => {},
      onExtract: async (value) => {
        extracted.push(value);
        return "cred_x";
      },
    });
    const knownKeys = new Set<string>();
    const planner = deterministicPlanner();
    const run = (primitive: Primitive) => {
      const ctx: PrimitiveContext = {
        primitive,
        tools,
        skill: skillFor("nimbus-db"),
        baseUrl: base,
        goal: "api_key",
        secrets,
        look: () => tools.observe(),
        profile: {
          fullName: "Ada Lovelace",
          firstName: "Ada",
          lastName: "Lovelace",
          company: "Analytical Engines",
          username: "ada",
          keyName: "fg-test",
        },
        awaitVerification: () => Promise.reject(new Error("no mail in this test")),
        knownKeys,
      };
      return planner.run(ctx);
    };
    await cb(page, run);
  } finally {
    await context.close();
  }
  return extracted;
}

describe("creating a key in a dialog", () => {
  it("waits for the vendor's answer instead of submitting the key form a second time", async () => {
    answerAfterMs = 4_000;
    const extracted = await onKeysPage(async (_page, run) => {
      expect(await run("create_api_key")).toEqual({ status: "done" });
      expect(await run("extract_key")).toEqual({ status: "done" });
    });
    expect(issued).toHaveLength(1);
    expect(extracted).toEqual(issued);
  });

  it("takes the key from a dialog an earlier attempt left open, without creating another", async () => {
    const extracted = await onKeysPage(async (page, run) => {
      await page.getByRole("button", { name: "Create key" }).click();
      await page.getByRole("button", { name: "Create", exact: true }).click();
      await page.locator("#new-key").filter({ hasText: /nmb_/ }).waitFor();
      expect(await run("create_api_key")).toEqual({ status: "done" });
      expect(await run("extract_key")).toEqual({ status: "done" });
    });
    expect(issued).toHaveLength(1);
    expect(extracted).toEqual(issued);
  });

  it("finishes the key form of a dialog an earlier attempt opened instead of clicking behind it", async () => {
    const extracted = await onKeysPage(async (page, run) => {
      await page.getByRole("button", { name: "Create key" }).click();
      await page.getByRole("textbox", { name: "Key name" }).waitFor();
      expect(await run("create_api_key")).toEqual({ status: "done" });
      expect(await run("extract_key")).toEqual({ status: "done" });
    });
    expect(issued).toHaveLength(1);
    expect(extracted).toEqual(issued);
  });
});

describe("submitting a form", () => {
  it("signs up once when the vendor takes seconds to answer the form's request", async () => {
    answerAfterMs = 4_000;
    await onKeysPage(async (page, run) => {
      expect(await run("signup")).toMatchObject({ status: "done" });
      expect(await page.getByText("Check your email").isVisible()).toBe(true);
    }, "/signup");
    expect(signups).toBe(1);
  });
});
