import { Secrets } from "@fg/core/secret/index";
import { generateText, hasToolCall, type LanguageModel, stepCountIs, tool, wrapLanguageModel } from "ai";
import { z } from "zod";
import {
  fail,
  human,
  ok,
  type Planner,
  type PrimitiveContext,
  type PrimitiveResult,
} from "../primitives/context.ts";
import type { Primitive } from "../primitives/names.ts";
import type { Target } from "../tools.ts";

const GOALS: Record<Primitive, string> = {
  signup:
    "Create a new account on this vendor. Find the sign-up form, fill each field by what it asks, accept the terms and submit.",
  login: "Log in to the existing account.",
  verify_email:
    "Confirm the email address. The verification mail has been read: if {{VERIFICATION_LINK}} is available navigate to it; otherwise type {{VERIFICATION_CODE}} into the code field and submit.",
  accept_cookies: "Accept the cookie banner.",
  dismiss_popup: "Close the popup or dialog that covers the page.",
  choose_plan: "Choose the requested plan so that the checkout appears.",
  checkout: "Pay for the plan with the card. The card form may be inside an iframe.",
  navigate_to_api_keys: "Go to the page where the vendor issues API keys or tokens.",
  create_api_key: "Create a new API key (name it fg if asked) so that its value is shown.",
  extract_key: "Reveal the new API key if needed, then call extract_secret on the element that shows it.",
  forgot_password: "Reset the password through the forgot-password flow.",
};

const REFERENCES =
  "{{EMAIL}}, {{PASSWORD}}, {{CARD_NUMBER}}, {{CARD_EXPIRY}}, {{CARD_CVC}}, {{CARDHOLDER_NAME}}, {{VERIFICATION_CODE}}, {{VERIFICATION_LINK}}";

const TargetSchema = z.object({
  ref: z.string().optional().describe("Element ref from the snapshot, e.g. e12 or f1e3"),
  role: z.string().optional().describe("ARIA role, used with name when no ref is given"),
  name: z.string().optional().describe("Accessible name"),
});

export interface LlmPlannerOptions {
  model: LanguageModel;
  maxStepsPerPrimitive?: number;
  /** Receives every prompt exactly as the model receives it (for audits and the leak tests). */
  onPrompt?: (prompt: unknown) => void;
}

/**
 * Lets a language model drive the same tools, one primitive at a time. The model sees the redacted,
 * bounded snapshot and secret references only; references are resolved by the tool layer.
 */
export function llmPlanner(options: LlmPlannerOptions): Planner {
  let calls = 0;
  const model = wrapLanguageModel({
    model: options.model as Parameters<typeof wrapLanguageModel>[0]["model"],
    middleware: {
      specificationVersion: "v3",
      transformParams: async ({ params }) => {
        calls++;
        options.onPrompt?.(structuredClone(params.prompt));
        // Defence in depth: nothing that reached the registry leaves this process, whatever the caller built.
        return { ...params, prompt: Secrets.redactDeep(params.prompt) };
      },
    },
  });

  return {
    kind: "llm",
    calls: () => calls,
    async run(ctx: PrimitiveContext): Promise<PrimitiveResult> {
      if (ctx.primitive === "verify_email") await ctx.awaitVerification("signup");
      let outcome: PrimitiveResult | undefined;
      const observe = async () => {
        const o = await ctx.look();
        return `page type: ${o.page.type}\nurl: ${o.url}\n${o.text}`;
      };
      const act = (fn: () => Promise<string>) => async () => {
        try {
          return `${await fn()}\n---\n${await observe()}`;
        } catch (error) {
          return `error: ${ctx.secrets.redact(String((error as Error).message).split("\n")[0] ?? "failed")}`;
        }
      };
      const tools = {
        navigate: tool({
          description: "Open a URL (may be {{VERIFICATION_LINK}})",
          inputSchema: z.object({ url: z.string() }),
          execute: ({ url }) =>
            act(() => ctx.tools.navigate(url.startsWith("/") ? new URL(url, ctx.baseUrl).href : url))(),
        }),
        click: tool({
          description: "Click an element",
          inputSchema: TargetSchema,
          execute: (t) => act(() => ctx.tools.click(t as Target))(),
        }),
        type: tool({
          description: `Type text into a field. Use references for secrets: ${REFERENCES}`,
          inputSchema: TargetSchema.extend({ text: z.string(), submit: z.boolean().optional() }),
          execute: ({ text, submit, ...t }) =>
            act(() => ctx.tools.type(t as Target, text, { submit: !!submit }))(),
        }),
        select: tool({
          description: "Choose an option of a select box",
          inputSchema: TargetSchema.extend({ option: z.string() }),
          execute: ({ option, ...t }) => act(() => ctx.tools.select(t as Target, option))(),
        }),
        check: tool({
          description: "Tick or untick a checkbox",
          inputSchema: TargetSchema.extend({ checked: z.boolean().optional() }),
          execute: ({ checked, ...t }) => act(() => ctx.tools.check(t as Target, checked ?? true))(),
        }),
        press: tool({
          description: "Press a key (Enter, Escape, Tab)",
          inputSchema: TargetSchema.extend({ key: z.string() }),
          execute: ({ key, ...t }) =>
            act(() => ctx.tools.press(key, t.ref || t.role ? (t as Target) : undefined))(),
        }),
        wait_for: tool({
          description: "Wait until the page changes or some text appears",
          inputSchema: z.object({ text: z.string().optional() }),
          execute: ({ text }) => act(() => ctx.tools.waitFor(text ? { text } : {}))(),
        }),
        read: tool({
          description: "Read an element's text",
          inputSchema: TargetSchema,
          execute: (t) => act(() => ctx.tools.read(t as Target))(),
        }),
        extract_secret: tool({
          description:
            "Store the API key shown in an element in the vault; you get back a reference, never the value",
          inputSchema: TargetSchema,
          execute: (t) =>
            act(() =>
              ctx.tools.extractSecret(t as Target, {
                ...(ctx.skill.keyPattern ? { pattern: ctx.skill.keyPattern } : {}),
                label: "API key",
              }),
            )(),
        }),
        screenshot: tool({
          description: "Take a masked screenshot for the record",
          inputSchema: z.object({}),
          execute: async () => {
            await ctx.tools.screenshot();
            return "screenshot saved";
          },
        }),
        done: tool({
          description: "The primitive's goal is reached",
          inputSchema: z.object({ summary: z.string().optional() }),
          execute: async ({ summary }) => {
            outcome = ok(summary);
            return "ok";
          },
        }),
        fail: tool({
          description: "The goal cannot be reached on this site",
          inputSchema: z.object({ reason: z.string() }),
          execute: async ({ reason }) => {
            outcome = fail(ctx.secrets.redact(reason), true);
            return "ok";
          },
        }),
        needs_human: tool({
          description: "A person must act (CAPTCHA, phone verification, unclear terms)",
          inputSchema: z.object({ reason: z.string() }),
          execute: async ({ reason }) => {
            outcome = human(ctx.secrets.redact(reason));
            return "ok";
          },
        }),
      };
      const hints = ctx.skill.hints?.[ctx.primitive];
      const system = [
        "You operate a web browser for fg, which provisions SaaS accounts and API keys.",
        "You see ARIA snapshots; address elements by ref (preferred) or by role and name.",
        `Never guess secret values: type these references and the browser fills in the values: ${REFERENCES}.`,
        "Call done when the goal of this step is reached, fail if it cannot be, needs_human for CAPTCHAs.",
      ].join("\n");
      const prompt = [
        `Step: ${ctx.primitive}. ${GOALS[ctx.primitive]}`,
        hints ? `Hint: ${hints}` : "",
        ctx.plan ? `Requested plan: ${ctx.plan}` : "",
        `Vendor: ${ctx.baseUrl}`,
        "Current page:",
        await observe(),
      ]
        .filter(Boolean)
        .join("\n");
      await generateText({
        model,
        system,
        prompt,
        tools,
        stopWhen: [
          hasToolCall("done"),
          hasToolCall("fail"),
          hasToolCall("needs_human"),
          stepCountIs(options.maxStepsPerPrimitive ?? 15),
        ],
        ...(ctx.signal ? { abortSignal: ctx.signal } : {}),
        maxRetries: 2,
      });
      return outcome ?? fail(`The model stopped before finishing ${ctx.primitive}`, true);
    },
  };
}
