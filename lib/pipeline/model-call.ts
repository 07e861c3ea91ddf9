import type { z } from "zod";
import type { CategoryModelData } from "@/lib/models/offline";
import { priceFor } from "@/lib/models/pricing";
import type { StepPrompt } from "@/lib/requirements/prompts";
import { describeIssues, draftOnTier } from "@/lib/runtime/call";
import { openGate } from "@/lib/runtime/contracts";
import { totalsOf, type CallRecord } from "@/lib/runtime/trace";

/**
 * One model asked once for output matching a zod contract, outside any run: the runtime's call
 * loop (retries, one repair with feedback) with no budget and no trace, priced at the shipped
 * list prices, for checking a provider or the offline drafter without a database. Steps of a run
 * go through the engine, which traces every call and prices it from the price table.
 */
export type Usage = { inputTokens: number; outputTokens: number };

export type ModelCallResult<T> = {
  model: string;
  output: T | null;
  rawText: string | null;
  violation: string | null;
  usage: Usage;
  costUsd: number;
  latencyMs: number;
  attempts: number;
};

export async function callModel<T>(options: { modelId: string; prompt: StepPrompt; schema: z.ZodType<T>; categoryModel?: CategoryModelData | null }): Promise<ModelCallResult<T>> {
  const { modelId, prompt, schema, categoryModel } = options;
  const calls: CallRecord[] = [];
  const outcome = await draftOnTier({ index: 0, modelIds: [modelId] }, { prompt, schema, categoryModel }, {
    gate: openGate,
    priceOf: async (id) => priceFor(id),
    record: async (call) => void calls.push(call),
  });
  if (outcome.status === "provider_error") throw new Error(outcome.failures.join("; "));
  const totals = totalsOf(calls);
  return {
    model: modelId,
    output: outcome.status === "ok" ? outcome.output : null,
    rawText: outcome.status === "ok" ? outcome.rawText : (outcome.replies.at(-1) ?? null),
    violation: outcome.status === "ok" ? null : describeIssues(outcome.issues),
    usage: { inputTokens: totals.inputTokens, outputTokens: totals.outputTokens },
    costUsd: totals.costUsd,
    latencyMs: totals.latencyMs,
    attempts: totals.calls,
  };
}

/**
 * From a reply that broke its contract, keeps the list items that do match the item contract
 * and reports the others, so one bad item does not throw away a whole draft.
 */
export function salvageItems<T>(
  rawText: string | null,
  listKey: string,
  itemSchema: z.ZodType<T>,
): { valid: T[]; invalid: { raw: unknown; problem: string }[] } | null {
  if (!rawText) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawText);
  } catch {
    return null;
  }
  const list = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[listKey] : undefined;
  if (!Array.isArray(list)) return null;
  const valid: T[] = [];
  const invalid: { raw: unknown; problem: string }[] = [];
  for (const item of list) {
    const result = itemSchema.safeParse(item);
    if (result.success) valid.push(result.data);
    else invalid.push({ raw: item, problem: result.error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`).join("; ") });
  }
  return { valid, invalid };
}
