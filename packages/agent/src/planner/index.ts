import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import type { Planner } from "../primitives/context.ts";
import { deterministicPlanner } from "../primitives/deterministic.ts";
import { type LlmPlannerOptions, llmPlanner } from "./llm.ts";

export { deterministicPlanner, type LlmPlannerOptions, llmPlanner };

const DEFAULT_MODELS = {
  bedrock: "anthropic.claude-sonnet-4-20250514-v1:0",
  anthropic: "claude-sonnet-4-20250514",
  openai: "gpt-4.1",
} as const;

/**
 * The model named by FG_LLM_PROVIDER (bedrock | anthropic | openai) and FG_LLM_MODEL, or undefined when
 * none is configured. Bedrock uses the task role's credentials; the others read their usual API key variables.
 */
export function modelFromConfig(env: NodeJS.ProcessEnv = process.env): LanguageModel | undefined {
  const provider = env.FG_LLM_PROVIDER as keyof typeof DEFAULT_MODELS | undefined;
  if (!provider || !(provider in DEFAULT_MODELS)) return undefined;
  const id = env.FG_LLM_MODEL ?? DEFAULT_MODELS[provider];
  if (provider === "bedrock") return createAmazonBedrock({ region: env.AWS_REGION ?? "us-east-1" })(id);
  if (provider === "anthropic") return createAnthropic({})(id);
  return createOpenAI({})(id);
}

/** The LLM planner when a model is configured, the deterministic planner otherwise. */
export function plannerFromConfig(onPrompt?: (prompt: unknown) => void): Planner {
  const model = modelFromConfig();
  return model ? llmPlanner({ model, ...(onPrompt ? { onPrompt } : {}) }) : deterministicPlanner();
}
