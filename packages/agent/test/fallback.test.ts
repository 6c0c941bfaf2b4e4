import { Credential } from "@fg/core";
import { Secrets } from "@fg/core/secret/index";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llmPlanner } from "../src/planner/llm.ts";
import { deterministicPlanner } from "../src/primitives/deterministic.ts";
import { runAgent } from "../src/run.ts";
import { adminAccounts, asAccount, newAccount, newJob, recorder, startWorld, type World } from "./harness.ts";
import { captureOutput, leakSurfaces } from "./leaks.ts";

let world: World;
const rec = recorder();
const output = captureOutput();
const prompts: unknown[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  world = await startWorld({ pixel: { popupDelayMs: 2000 } });
});
afterAll(async () => {
  output.restore();
  await world?.stop();
});

function remember(jobId: string) {
  const registry = Secrets.forJob(jobId);
  for (const name of ["PASSWORD", "VERIFICATION_CODE", "EXTRACTED_KEY"] as const) {
    const value = registry.value(name);
    if (value) secrets.push(value);
  }
}

async function keyMatchesVendor(vendor: keyof World["vendors"], credentialId: string) {
  const { value } = await Credential.reveal({ id: credentialId, reason: "test" });
  const accounts = await adminAccounts(world.vendors[vendor].adminUrl);
  expect(accounts.flatMap((a) => a.keys.map((k) => k.value))).toContain(value);
}

describe("with every skill disabled (FG_SKILLS=off)", () => {
  beforeAll(() => {
    process.env.FG_SKILLS = "off";
  });
  afterAll(() => {
    delete process.env.FG_SKILLS;
  });

  for (const vendor of ["nimbus-db", "pixel-cdn"] as const) {
    it(`the generic fallback gets an API key from ${vendor} given only its URL`, async () => {
      await asAccount(await newAccount(), async () => {
        const url = world.vendors[vendor].url;
        const jobId = await newJob("nimbus-db");
        const result = await runAgent({
          jobId,
          vendor: url,
          goal: "api_key",
          maxSpend: 0,
          planner: deterministicPlanner(),
          emit: rec.emit,
          browser: world.browser,
        });
        remember(jobId);
        expect(result.reason).toBeNull();
        expect(result.outcome).toBe("succeeded");
        expect(rec.events.find((e) => e.type === "agent.started" && e.data.vendor === url)?.data.skill).toBe(
          "generic",
        );
        await keyMatchesVendor(vendor, result.credentials[0] as string);
      });
    }, 180_000);
  }
});

type Step = { tool: string; args: Record<string, unknown> };
const nimbusScript: Step[] = [
  { tool: "navigate", args: { url: "/signup" } },
  { tool: "type", args: { role: "textbox", name: "Full name", text: "Ada Lovelace" } },
  { tool: "type", args: { role: "textbox", name: "Work email", text: "{{EMAIL}}" } },
  { tool: "type", args: { role: "textbox", name: "Password", text: "{{PASSWORD}}" } },
  { tool: "check", args: { role: "checkbox", name: "I agree to the Terms of Service" } },
  { tool: "click", args: { role: "button", name: "Create account" } },
  { tool: "done", args: {} },
  { tool: "type", args: { role: "textbox", name: "Verification code", text: "{{VERIFICATION_CODE}}" } },
  { tool: "click", args: { role: "button", name: "Verify email" } },
  { tool: "done", args: {} },
  { tool: "click", args: { role: "link", name: "API keys" } },
  { tool: "done", args: {} },
  { tool: "click", args: { role: "button", name: "Create key" } },
  { tool: "click", args: { role: "button", name: "Create" } },
  { tool: "done", args: {} },
  { tool: "extract_secret", args: { role: "code" } },
  { tool: "done", args: {} },
];

function scriptedModel(script: Step[]) {
  let next = 0;
  return new MockLanguageModelV3({
    doGenerate: async () => {
      const step = script[next++] ?? { tool: "fail", args: { reason: "script exhausted" } };
      return {
        content: [
          {
            type: "tool-call" as const,
            toolCallId: `call-${next}`,
            toolName: step.tool,
            input: JSON.stringify(step.args),
          },
        ],
        finishReason: { unified: "tool-calls" as const, raw: undefined },
        usage: {
          inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 10, text: 10, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
}

describe("the LLM planner", () => {
  it("completes nimbus-db driven by a scripted mock model that only ever sees references", async () => {
    await asAccount(await newAccount(), async () => {
      const jobId = await newJob("nimbus-db");
      const model = scriptedModel(nimbusScript);
      const planner = llmPlanner({ model, onPrompt: (p) => prompts.push(p) });
      const result = await runAgent({
        jobId,
        vendor: "nimbus-db",
        vendorUrl: world.vendors["nimbus-db"].url,
        goal: "api_key",
        maxSpend: 0,
        planner,
        emit: rec.emit,
        browser: world.browser,
      });
      remember(jobId);
      expect(result.reason).toBeNull();
      expect(result.outcome).toBe("succeeded");
      expect(result.stats.llmCalls).toBe(nimbusScript.length);
      expect(model.doGenerateCalls).toHaveLength(nimbusScript.length);
      prompts.push(...model.doGenerateCalls.map((c) => c.prompt));
      await keyMatchesVendor("nimbus-db", result.credentials[0] as string);
      expect(JSON.stringify(prompts)).toContain("{{EXTRACTED_KEY}}");
    });
  }, 180_000);
});

describe("after a crash", () => {
  it("relaunches the browser and resumes from the last completed primitive", async () => {
    await asAccount(await newAccount(), async () => {
      const jobId = await newJob("nimbus-db");
      let crashed = false;
      const events: { type: string; data: Record<string, unknown> }[] = [];
      const result = await runAgent({
        jobId,
        vendor: "nimbus-db",
        vendorUrl: world.vendors["nimbus-db"].url,
        goal: "api_key",
        maxSpend: 0,
        planner: deterministicPlanner(),
        browser: world.browser,
        emit: async (e) => {
          events.push(e);
          rec.emit(e);
          if (!crashed && e.type === "agent.primitive.ended" && e.data.primitive === "verify_email") {
            crashed = true;
            for (const context of world.browser.contexts()) await context.close();
          }
        },
      });
      remember(jobId);
      expect(result.reason).toBeNull();
      expect(result.outcome).toBe("succeeded");
      expect(result.stats.relaunches).toBe(1);
      const afterCrash = events.slice(events.findIndex((e) => e.type === "agent.relaunch"));
      const started = afterCrash
        .filter((e) => e.type === "agent.primitive.started")
        .map((e) => e.data.primitive);
      expect(started).not.toContain("signup");
      expect(started).not.toContain("verify_email");
      await keyMatchesVendor("nimbus-db", result.credentials[0] as string);
    });
  }, 180_000);
});

describe("what the agent leaves behind", () => {
  it("puts no password, code or key into prompts, events, logs, artifacts or the store", async () => {
    const surfaces = await leakSurfaces({ events: rec.events, prompts, logs: output.lines });
    expect(secrets.length).toBeGreaterThan(6);
    expect(prompts.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(surfaces)) {
        if (typeof text !== "string") continue;
        expect(text.includes(secret), `${where} leaks a secret`).toBe(false);
      }
    }
  });
});
