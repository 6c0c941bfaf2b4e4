import { Credential, Job, Money, PaymentRail, VendorState } from "@fg/core";
import { Secrets } from "@fg/core/secret/index";
import { Vault } from "@fg/core/vault/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deterministicPlanner } from "../src/primitives/deterministic.ts";
import { type AgentResult, type RunAgentInput, runAgent } from "../src/run.ts";
import { adminAccounts, asAccount, newAccount, newJob, recorder, startWorld, type World } from "./harness.ts";
import { captureOutput, leakSurfaces } from "./leaks.ts";

let world: World;
const rec = recorder();
const output = captureOutput();
const secrets: string[] = [];

beforeAll(async () => {
  world = await startWorld({
    wobbly: { captchaRate: 0, errorRate: 0.5, delayMs: [1000, 3000], seed: 3 },
    pixel: { popupDelayMs: 2000 },
  });
});
afterAll(async () => {
  output.restore();
  await world?.stop();
});

async function provision(
  vendor: keyof World["vendors"],
  extra: Partial<RunAgentInput> = {},
  jobId?: string,
): Promise<AgentResult> {
  const id = jobId ?? (await newJob(vendor));
  const result = await runAgent({
    jobId: id,
    vendor,
    vendorUrl: world.vendors[vendor].url,
    goal: "api_key",
    maxSpend: 0,
    planner: deterministicPlanner(),
    emit: rec.emit,
    browser: world.browser,
    ...extra,
  });
  if (process.env.DEBUG_AGENT)
    console.log(
      JSON.stringify(
        rec.events
          .slice(-80)
          .map((e) => [
            e.type,
            e.data.primitive ?? e.data.type ?? e.data.tool,
            e.data.status ?? e.data.result ?? "",
            e.data.target ?? "",
            e.data.reason ?? "",
          ]),
      ),
    );
  const registry = Secrets.forJob(id);
  for (const name of [
    "PASSWORD",
    "VERIFICATION_CODE",
    "VERIFICATION_LINK",
    "CARD_NUMBER",
    "EXTRACTED_KEY",
  ] as const) {
    const value = registry.value(name);
    if (value) secrets.push(value);
  }
  const link = registry.value("VERIFICATION_LINK");
  if (link) secrets.push(...[...new URL(link).searchParams.values()].filter((v) => v.length >= 16));
  return result;
}

async function expectVendorIssued(vendor: keyof World["vendors"], result: AgentResult) {
  expect(result.reason).toBeNull();
  expect(result.outcome).toBe("succeeded");
  expect(result.credentials).toHaveLength(1);
  const { value } = await Credential.reveal({ id: result.credentials[0] as string, reason: "test" });
  const accounts = await adminAccounts(world.vendors[vendor].adminUrl);
  expect(accounts.flatMap((a) => a.keys.map((k) => k.value))).toContain(value);
  secrets.push(value, ...accounts.map((a) => a.password));
  return accounts;
}

describe("the deterministic planner", () => {
  it("gets an API key from nimbus-db: sign-up, emailed 6-digit code, key shown once in a dialog", async () => {
    await asAccount(await newAccount(), async () =>
      expectVendorIssued("nimbus-db", await provision("nimbus-db")),
    );
  }, 120_000);

  it("gets an API key from pixel-cdn through its cookie banner and newsletter popup, then logs in on a second job", async () => {
    await asAccount(await newAccount(), async () => {
      const first = await provision("pixel-cdn");
      await expectVendorIssued("pixel-cdn", first);
      const state = await VendorState.get({ vendor: "pixel-cdn" });
      expect(state).toMatchObject({ hasAccount: true, hasKey: true });
      expect(state.sessionStateRef).toBeTruthy();

      // The stored session is stale: the second job must reuse the stored login instead of signing up.
      await Vault.use().delete(state.sessionStateRef as string, { reason: "test: expire the session" });
      const since = rec.events.length;
      const second = await provision("pixel-cdn");
      const accounts = await expectVendorIssued("pixel-cdn", second);
      expect(accounts).toHaveLength(1);
      const primitives = rec.events
        .slice(since)
        .filter((e) => e.type === "agent.primitive.started")
        .map((e) => e.data.primitive);
      expect(primitives).toContain("login");
      expect(primitives).not.toContain("signup");

      const sinceThird = rec.events.length;
      const third = await provision("pixel-cdn");
      await expectVendorIssued("pixel-cdn", third);
      const thirdPrimitives = rec.events
        .slice(sinceThird)
        .filter((e) => e.type === "agent.primitive.started")
        .map((e) => e.data.primitive);
      expect(rec.events.slice(sinceThird).find((e) => e.type === "agent.session")?.data.reused).toBe(true);
      expect(thirdPrimitives).not.toContain("login");
      expect(thirdPrimitives).not.toContain("signup");
    });
  }, 240_000);

  it("gets an API key from relay-mail, paying the Starter plan through the card network with the job's virtual card", async () => {
    const accountId = await newAccount();
    await asAccount(accountId, async () => {
      await PaymentRail.addCard({ paymentMethod: "pm_card_visa" });
      const job = await Job.create({
        vendor: "relay-mail",
        goal: "api_key",
        plan: "starter",
        maxSpend: { amount: 2000, currency: "usd" },
      });
      for (const to of ["planning", "charging"] as const) await Job.transition({ id: job.id, to });
      await Money.chargeForJob({ jobId: job.id });
      await Job.transition({ id: job.id, to: "issuing_card" });
      const card = await Money.issueCardForJob({ jobId: job.id });
      await Job.transition({ id: job.id, to: "provisioning" });
      const details = JSON.parse(
        await Vault.use().get(card.vaultRef as string, { reason: "test" }),
      ) as Record<string, string>;
      secrets.push(details.number as string);
      const result = await provision("relay-mail", { plan: "starter", maxSpend: 2000 }, job.id);
      const accounts = await expectVendorIssued("relay-mail", result);
      expect(result.spent).toBe(1500);
      expect(accounts[0]).toMatchObject({ paid: true });
    });
  }, 180_000);

  it("gets an API key from wobbly-crm despite slow pages and a 500 on sign-up", async () => {
    await asAccount(await newAccount(), async () => {
      const since = rec.events.length;
      const result = await provision("wobbly-crm");
      await expectVendorIssued("wobbly-crm", result);
      const pages = rec.events
        .slice(since)
        .filter((e) => e.type === "agent.page")
        .map((e) => e.data.type);
      expect(pages).toContain("error");
    });
  }, 240_000);
});

describe("what the agent leaves behind", () => {
  it("contains no password, code, card number or key in events, logs, artifacts or the store", async () => {
    const surfaces = await leakSurfaces({ events: rec.events, prompts: [], logs: output.lines });
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(surfaces)) {
        if (typeof text !== "string") continue;
        const at = text.indexOf(secret);
        const context =
          at < 0
            ? ""
            : text
                .slice(Math.max(0, at - 80), at)
                .concat("<SECRET>", text.slice(at + secret.length, at + secret.length + 40));
        expect(at < 0, `${where} leaks a secret: ${context}`).toBe(true);
      }
    }
  });
});
