import type { JSONObject } from "@ai-sdk/provider";
import { generateText, NoObjectGeneratedError, Output } from "ai";
import type { z } from "zod";
import { offlineProviderOptions, type CategoryModelData } from "@/lib/models/offline";
import { languageModelFor } from "@/lib/models/registry";
import { costUsd, priceFor } from "@/lib/models/pricing";
import type { StepPrompt } from "@/lib/requirements/prompts";

/**
 * One model step: asks the model for output matching a zod contract and measures what it cost.
 * A reply that breaks the contract is retried; if every attempt breaks it, the raw text comes
 * back with the violation so the caller can salvage the valid parts and send the rest to people.
 * Hosted models read the prompt; the offline drafter reads the step input as data, passed in
 * providerOptions, so nothing a source says can change what it is asked.
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

export async function callModel<T>(options: {
  modelId: string;
  prompt: StepPrompt;
  schema: z.ZodType<T>;
  maxAttempts?: number;
  /** the step input as data; the one the prompt was built from unless given */
  input?: JSONObject;
  /** the category model learned from this deployment's reviewers, for the offline drafter */
  categoryModel?: CategoryModelData | null;
}): Promise<ModelCallResult<T>> {
  const { modelId, prompt, schema, maxAttempts = 2, input = prompt.input, categoryModel } = options;
  const model = languageModelFor(modelId);
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const started = performance.now();
  let violation: string | null = null;
  let rawText: string | null = null;
  let attempts = 0;
  let output: T | null = null;

  while (attempts < maxAttempts && output === null) {
    attempts += 1;
    try {
      const result = await generateText({
        model,
        system: prompt.system,
        prompt: prompt.prompt,
        output: Output.object({ schema, name: prompt.outputName }),
        providerOptions: offlineProviderOptions(input, categoryModel),
        maxRetries: 2,
      });
      addUsage(usage, result.usage);
      output = result.output as T;
      rawText = result.text;
      violation = null;
    } catch (error) {
      if (!NoObjectGeneratedError.isInstance(error)) throw error;
      addUsage(usage, error.usage);
      violation = error.cause instanceof Error ? error.cause.message : error.message;
      rawText = error.text ?? null;
    }
  }

  const price = priceFor(modelId);
  return {
    model: modelId,
    output,
    rawText,
    violation,
    usage,
    costUsd: price ? costUsd(usage, price) : 0,
    latencyMs: Math.round(performance.now() - started),
    attempts,
  };
}

function addUsage(total: Usage, usage: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined) {
  total.inputTokens += usage?.inputTokens ?? 0;
  total.outputTokens += usage?.outputTokens ?? 0;
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
