/**
 * Model ids are "provider:model". Kept apart from the registry (which builds provider clients)
 * so the price table can check an id without pulling the providers in.
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
