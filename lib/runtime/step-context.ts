import { StepFailure } from "@/lib/pipeline/step-runner";
import type { StepPrompt } from "@/lib/requirements/prompts";
import { choosePassages, estimateMessageTokens, keptText, passagesOf, wholePassage, type ContextFit, type LeftOut, type Passage } from "./context-budget";
import focusTerms from "./focus-terms.json";

/**
 * The context budget applied to a model step's prepare (lib/stages/definitions): the policy's
 * maxInputTokens bounds the whole prompt. The prompt's fixed part (instructions, examples, the
 * project) is what the full prompt costs beyond its passages; the passages get the rest and are
 * chosen by lib/runtime/context-budget.ts. What was left out is returned for the step's record.
 */
export type ContextBudgetRecord = {
  maxInputTokens: number;
  /** estimated input tokens of the prompt with every passage, and with the kept ones */
  promptTokens: number;
  keptPromptTokens: number;
  /** what the passages could use once the prompt's fixed part was paid for */
  passageBudgetTokens: number;
  rule: string;
  leftOut: (LeftOut & { title?: string })[];
};

export const CONTEXT_RULE =
  "The prompt must fit maxInputTokens (tokens = UTF-8 bytes / 4, plus 4 per message). Its fixed part is paid first; the passages (paragraphs of each source, or sentences of a paragraph too big alone; whole upstream artifacts) share the rest, taken by how densely they use the step's focus terms (occurrences per 100 tokens), each kept whole while it fits, and passed on in their original order.";

/** The step's maxInputTokens. Imported when asked: the policies read the step catalogue, which is built from the definitions that ask. */
export async function contextLimitOf(stepKey: string): Promise<number | null> {
  const { currentPolicy, isModelStep } = await import("@/lib/policies/service");
  return isModelStep(stepKey) ? (await currentPolicy(stepKey)).values.maxInputTokens : null;
}

const promptTokensOf = (prompt: StepPrompt) => estimateMessageTokens([{ content: prompt.system }, { content: prompt.prompt }]);

/** Content words of a text (a project brief), as extra focus terms. */
export function termsOf(text: string): string[] {
  const stop = new Set(focusTerms.stopWords);
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]{3,}/gu) ?? [])].filter((word) => !stop.has(word));
}

/** What makes a source passage relevant to drafting requirements: requirement cue words and the words of the brief. */
export function requirementFocus(brief: string): string[] {
  return [...focusTerms.requirementCues, ...termsOf(brief)];
}

type Fitted<T> = { items: T[]; contextBudget: ContextBudgetRecord | null };

function tooSmall(limit: number, fixed: number): StepFailure {
  return new StepFailure(
    `The step's context budget (maxInputTokens ${limit}) is too small: the prompt without any passage already takes about ${fixed} tokens. Raise maxInputTokens in the step's policy.`,
  );
}

function record(limit: number, promptTokens: number, keptPromptTokens: number, fit: ContextFit | null, titles: Map<string, string>): ContextBudgetRecord {
  return {
    maxInputTokens: limit,
    promptTokens,
    keptPromptTokens,
    passageBudgetTokens: fit?.budgetTokens ?? Math.max(0, limit - promptTokens),
    rule: CONTEXT_RULE,
    leftOut: (fit?.leftOut ?? []).map((left) => (titles.has(left.documentId) ? { ...left, title: titles.get(left.documentId)! } : left)),
  };
}

/**
 * Fits the passages to what the prompt's fixed part leaves, then measures the prompt actually
 * built from what was kept; while that is still over the limit (each kept item brings its own
 * wrapping, JSON escapes its text), the passages get that much less room and are chosen again.
 */
function fitLoop<T>(
  limit: number,
  fixed: number,
  passages: readonly Passage[],
  focus: readonly string[],
  rebuild: (fit: ContextFit) => T[],
  tokensOf: (items: T[]) => number,
): { items: T[]; fit: ContextFit; keptPromptTokens: number } {
  for (let room = limit - fixed; room > 0; ) {
    const fit = choosePassages(passages, { maxTokens: room, focusTerms: focus });
    const items = rebuild(fit);
    if (items.length === 0) break;
    const keptPromptTokens = tokensOf(items);
    if (keptPromptTokens <= limit) return { items, fit, keptPromptTokens };
    room -= keptPromptTokens - limit;
  }
  throw tooSmall(limit, fixed);
}

/**
 * Cuts sources (documents with text) to the context budget: each keeps only its chosen
 * passages, verbatim; a source with none kept is left out. `prompt` builds the step's prompt
 * from a list of sources (an empty one gives its fixed part).
 */
export function fitSources<S extends { id: string; title?: string; text: string }>(
  sources: readonly S[],
  options: { maxInputTokens: number | null; prompt: (sources: S[]) => StepPrompt; focusTerms: readonly string[] },
): Fitted<S> {
  const limit = options.maxInputTokens;
  if (limit === null) return { items: [...sources], contextBudget: null };
  const titles = new Map(sources.flatMap((source) => (source.title ? [[source.id, source.title] as const] : [])));
  const full = promptTokensOf(options.prompt([...sources]));
  if (full <= limit) return { items: [...sources], contextBudget: record(limit, full, full, null, titles) };
  // Paragraphs larger than the limit itself are split into sentences; the fit then works on those passages.
  const passages = sources.flatMap((source) => passagesOf(source, limit));
  const rebuild = (fit: ContextFit) => sources.map((source) => ({ ...source, text: keptText(source, fit.kept) })).filter((source) => source.text.length > 0);
  const { items, fit, keptPromptTokens } = fitLoop(limit, promptTokensOf(options.prompt([])), passages, options.focusTerms, rebuild, (kept) => promptTokensOf(options.prompt(kept)));
  return { items, contextBudget: record(limit, full, keptPromptTokens, fit, titles) };
}

/**
 * Cuts a step's upstream artifacts to the context budget: each artifact is one passage, kept
 * whole or left out. `prompt` builds the step's prompt from a non-empty list of them.
 */
export function fitArtifacts<A extends { ref: string }>(
  artifacts: readonly A[],
  options: { maxInputTokens: number | null; prompt: (artifacts: A[]) => StepPrompt; focusTerms: readonly string[] },
): Fitted<A> {
  const limit = options.maxInputTokens;
  if (limit === null) return { items: [...artifacts], contextBudget: null };
  const full = promptTokensOf(options.prompt([...artifacts]));
  if (full <= limit) return { items: [...artifacts], contextBudget: record(limit, full, full, null, new Map()) };
  const passages = artifacts.map((artifact) => wholePassage(artifact.ref, JSON.stringify(artifact)));
  // The step may need at least one artifact to build a prompt at all: its fixed part is what the full prompt costs beyond them.
  const fixed = Math.max(0, full - passages.reduce((sum, passage) => sum + passage.tokens, 0));
  const rebuild = (fit: ContextFit) => {
    const kept = new Set(fit.kept.map((passage) => passage.id));
    return artifacts.filter((artifact) => kept.has(artifact.ref));
  };
  const { items, fit, keptPromptTokens } = fitLoop(limit, fixed, passages, options.focusTerms, rebuild, (kept) => promptTokensOf(options.prompt(kept)));
  return { items, contextBudget: record(limit, full, keptPromptTokens, fit, new Map()) };
}
