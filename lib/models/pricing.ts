/**
 * What model calls cost, in US dollars. Prices are list prices per million tokens; amounts are
 * rounded to 9 decimal places (a thousandth of a micro-dollar) so sums do not collect float noise.
 */
export type ModelPrice = { inputPerMTokUsd: number; outputPerMTokUsd: number };
export type TokenUsage = { inputTokens: number; outputTokens: number };

const FREE: ModelPrice = { inputPerMTokUsd: 0, outputPerMTokUsd: 0 };

/** Public list prices; these change, so check the providers' pricing pages when updating. */
export const defaultPriceTable: Readonly<Record<string, ModelPrice>> = {
  "offline:drafter": FREE,
  "openai:gpt-5": { inputPerMTokUsd: 1.25, outputPerMTokUsd: 10 },
  "openai:gpt-5-mini": { inputPerMTokUsd: 0.25, outputPerMTokUsd: 2 },
  "openai:gpt-4.1": { inputPerMTokUsd: 2, outputPerMTokUsd: 8 },
  "openai:gpt-4.1-mini": { inputPerMTokUsd: 0.4, outputPerMTokUsd: 1.6 },
  "openai:gpt-4o": { inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
  "openai:gpt-4o-mini": { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
  "anthropic:claude-opus-4-1": { inputPerMTokUsd: 15, outputPerMTokUsd: 75 },
  "anthropic:claude-sonnet-4-5": { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
  "anthropic:claude-haiku-4-5": { inputPerMTokUsd: 1, outputPerMTokUsd: 5 },
};

// Self-hosted (compat:*) and offline models cost nothing per token, whatever the model is called.
const FREE_MODEL_ID = /^(?:compat|offline):./;

/** The price of a model, or null when it is unknown (the caller decides what that means). */
export function priceFor(modelId: string, table: Readonly<Record<string, ModelPrice>> = defaultPriceTable): ModelPrice | null {
  if (Object.hasOwn(table, modelId)) return table[modelId];
  return FREE_MODEL_ID.test(modelId) ? FREE : null;
}

export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  assertAmount("inputTokens", usage.inputTokens);
  assertAmount("outputTokens", usage.outputTokens);
  assertAmount("inputPerMTokUsd", price.inputPerMTokUsd);
  assertAmount("outputPerMTokUsd", price.outputPerMTokUsd);
  return roundUsd((usage.inputTokens * price.inputPerMTokUsd + usage.outputTokens * price.outputPerMTokUsd) / 1_000_000);
}

export function sumCosts(costs: number[]): number {
  costs.forEach((cost, index) => assertAmount(`costs[${index}]`, cost));
  return roundUsd(costs.reduce((total, cost) => total + cost, 0));
}

function roundUsd(amount: number): number {
  return Math.round(amount * 1e9) / 1e9;
}

function assertAmount(name: string, value: number) {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a finite number of at least 0, got ${value}`);
  }
}
