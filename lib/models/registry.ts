import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { env } from "@/lib/env";
import { invalid } from "@/lib/errors";
import { createOfflineDrafter } from "./offline";
import { defaultPriceTable } from "./pricing";

/**
 * Model ids are "provider:model". The offline drafter always works; hosted providers are
 * switched on by configuration (API key or base URL) and chosen per step in its policy.
 */
export const OFFLINE_MODEL_ID = "offline:drafter";

export const providers = ["offline", "openai", "anthropic", "compat"] as const;
export type ProviderName = (typeof providers)[number];

export const modelIdSchemaMessage = "use provider:model, e.g. offline:drafter, openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5 or compat:llama3.1";

export function parseModelId(modelId: string): { provider: ProviderName; model: string } | null {
  const separator = modelId.indexOf(":");
  if (separator <= 0 || separator === modelId.length - 1) return null;
  const provider = modelId.slice(0, separator);
  if (!(providers as readonly string[]).includes(provider)) return null;
  return { provider: provider as ProviderName, model: modelId.slice(separator + 1) };
}

/** Why a provider cannot be used right now, or null when it can. */
export function providerUnavailableReason(provider: ProviderName): string | null {
  const config = env();
  if (provider === "openai" && !config.OPENAI_API_KEY) return "set OPENAI_API_KEY to use OpenAI models";
  if (provider === "anthropic" && !config.ANTHROPIC_API_KEY) return "set ANTHROPIC_API_KEY to use Anthropic models";
  if (provider === "compat" && !config.COMPAT_BASE_URL) return "set COMPAT_BASE_URL to use an OpenAI-compatible server";
  return null;
}

export function languageModelFor(modelId: string): LanguageModelV4 {
  const parsed = parseModelId(modelId);
  if (!parsed) throw invalid(`Unknown model id "${modelId}": ${modelIdSchemaMessage}.`);
  const unavailable = providerUnavailableReason(parsed.provider);
  if (unavailable) throw invalid(`The model ${modelId} is not available: ${unavailable}.`);
  const config = env();
  switch (parsed.provider) {
    case "offline":
      return createOfflineDrafter(parsed.model);
    case "openai":
      return createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL }).chat(parsed.model);
    case "anthropic":
      return createAnthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL })(parsed.model);
    case "compat":
      return createOpenAICompatible({
        name: "compat",
        baseURL: config.COMPAT_BASE_URL!,
        apiKey: config.COMPAT_API_KEY,
        supportsStructuredOutputs: true,
      }).chatModel(parsed.model);
  }
}

/** The models an admin can pick from, with whether each can run here. */
export function modelCatalog() {
  return Object.entries(defaultPriceTable).map(([id, price]) => {
    const provider = parseModelId(id)?.provider ?? "offline";
    return { id, provider, price, unavailableReason: providerUnavailableReason(provider) };
  });
}
