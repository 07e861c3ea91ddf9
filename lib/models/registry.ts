import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { env } from "@/lib/env";
import { invalid } from "@/lib/errors";
import { createOfflineDrafter } from "./offline";
import { modelIdSchemaMessage, parseModelId, type ProviderName } from "./model-id";
import { currentPrices, type CurrentPrice } from "./prices";

/**
 * Model ids are "provider:model" (lib/models/model-id.ts). The offline drafter always works;
 * hosted providers are switched on by configuration (API key or base URL) and chosen per step
 * in its policy.
 */
export { OFFLINE_MODEL_ID, modelIdSchemaMessage, parseModelId, providers, type ProviderName } from "./model-id";

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

/** A priced model as the catalog lists it: its price in force and whether it can run here. */
export function catalogEntry(entry: CurrentPrice) {
  const provider = parseModelId(entry.modelId)?.provider ?? "offline";
  const unavailableReason = providerUnavailableReason(provider);
  return { ...entry, id: entry.modelId, provider, available: unavailableReason === null, unavailableReason };
}
export type CatalogModel = ReturnType<typeof catalogEntry>;

/**
 * The models an admin can pick from: every model with a price (shipped, or priced by an admin,
 * e.g. a self-hosted one), its price in force, and whether it can run here.
 */
export async function modelCatalog(): Promise<CatalogModel[]> {
  return (await currentPrices()).map(catalogEntry);
}
