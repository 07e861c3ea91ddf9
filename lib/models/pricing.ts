/**
 * What model calls cost, in US dollars. Prices are list prices per million tokens; amounts are
 * rounded to 9 decimal places (a thousandth of a micro-dollar) so sums do not collect float noise.
 */
export type ModelPrice = { inputPerMTokUsd: number; outputPerMTokUsd: number };
export type TokenUsage = { inputTokens: number; outputTokens: number };

const FREE: ModelPrice = { inputPerMTokUsd: 0, outputPerMTokUsd: 0 };

/** A price shipped as a default: the provider's list price, where it is published and when it was last compared with that page. */
export type ShippedPrice = ModelPrice & { source: string; checkedOn: string | null };

const OPENAI_PRICING = "https://openai.com/api/pricing/";
const ANTHROPIC_PRICING = "https://www.anthropic.com/pricing#api";
/**
 * The day the hosted figures below are known to have been the providers' published list prices.
 * Reviewed on 2026-12-04 without access to the live pages: every figure matches copies of both
 * providers' pricing pages dated 2026-03-21, and Anthropic's pricing documentation confirms the
 * Opus and long-prompt Sonnet rates. Prices may have moved since: an admin compares them with the
 * pages and corrects them in the price table (Admin -> Models), which versions every change.
 */
const LAST_CHECKED = "2026-03-21";
const listed = (source: string, inputPerMTokUsd: number, outputPerMTokUsd: number): ShippedPrice => ({ inputPerMTokUsd, outputPerMTokUsd, source, checkedOn: LAST_CHECKED });

/**
 * List prices per million tokens, standard (not batch, not cached-input) rates. Claude Sonnet 4.5
 * charges more for prompts above 200K tokens ($6 / $22.50); no step sends prompts that large.
 */
export const shippedPrices: Readonly<Record<string, ShippedPrice>> = {
  "offline:drafter": { ...FREE, source: "runs inside Countersign: nothing to pay", checkedOn: null },
  "openai:gpt-5": listed(OPENAI_PRICING, 1.25, 10),
  "openai:gpt-5-mini": listed(OPENAI_PRICING, 0.25, 2),
  "openai:gpt-4.1": listed(OPENAI_PRICING, 2, 8),
  "openai:gpt-4.1-mini": listed(OPENAI_PRICING, 0.4, 1.6),
  "openai:gpt-4o": listed(OPENAI_PRICING, 2.5, 10),
  "openai:gpt-4o-mini": listed(OPENAI_PRICING, 0.15, 0.6),
  "anthropic:claude-opus-4-1": listed(ANTHROPIC_PRICING, 15, 75),
  "anthropic:claude-sonnet-4-5": listed(ANTHROPIC_PRICING, 3, 15),
  "anthropic:claude-haiku-4-5": listed(ANTHROPIC_PRICING, 1, 5),
};

/** The shipped prices alone: what applies to a model until an admin sets its price (lib/models/prices.ts). */
export const defaultPriceTable: Readonly<Record<string, ModelPrice>> = Object.fromEntries(
  Object.entries(shippedPrices).map(([id, { inputPerMTokUsd, outputPerMTokUsd }]) => [id, { inputPerMTokUsd, outputPerMTokUsd }]),
);

/** How a shipped price is described to admins: where it comes from and how fresh it is. */
export function shippedPriceNote(price: ShippedPrice): string {
  return price.checkedOn ? `List price as published on ${price.source} when last checked (${price.checkedOn}).` : `Free: ${price.source}.`;
}

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
