/**
 * The context budget of a step (its policy's maxInputTokens): when the input passages are larger
 * than the budget, keep the passages most relevant to the step, whole, and leave the rest out.
 *
 * The rule, stated once:
 * 1. Size: a passage costs estimateTokens(text) tokens (one per 4 bytes of UTF-8, rounded up).
 * 2. Passages are a document's paragraphs (split at blank lines). A paragraph larger than the whole
 *    budget is split at sentence ends, so that part of it can still be kept; nothing is ever cut
 *    inside a sentence, and a single sentence larger than the budget is left out.
 * 3. Relevance: how many times the step's focus terms occur in the passage (whole words, any case;
 *    a term may be a phrase), per 100 tokens of passage. Denser passages say more of what the step
 *    looks for in less room.
 * 4. Passages are taken by relevance, highest first (ties: earlier in the input first), each kept
 *    only if it still fits; one that does not fit is skipped and smaller ones after it may fit.
 * 5. The kept passages are returned in their original order; every passage left out is listed
 *    with its id and size, so the step can record (and people can see) what the model never read.
 * Pure: no clock, no randomness, no database.
 */

/** One token per 4 bytes of UTF-8, rounded up: the usual rule of thumb for English with BPE tokenizers, erring high for other scripts. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

/** The chat format adds a few tokens per message (role and separators) to what its content costs. */
export const TOKENS_PER_MESSAGE = 4;

/** Input tokens of a list of chat messages, by the same rule. */
export function estimateMessageTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + estimateTokens(message.content), 0);
}

export type Passage = {
  /** "<documentId>#<n>": the n-th passage (from 1) of its document */
  id: string;
  documentId: string;
  /** n: the passage's place in its document */
  index: number;
  /** where the passage starts and ends in its document's text */
  start: number;
  end: number;
  text: string;
  tokens: number;
};

export type LeftOut = { id: string; documentId: string; tokens: number };

export type ContextFit = {
  kept: Passage[];
  leftOut: LeftOut[];
  budgetTokens: number;
  keptTokens: number;
  totalTokens: number;
};

export type Document = { id: string; text: string };

const PARAGRAPH_BREAK = /\n[ \t]*\n/g;
// A sentence ends at . ! ? (with closing quotes or brackets) followed by white space, or at a line break.
const SENTENCE_END = /[.!?]["'”’)\]]*\s+|\n+/g;

/** Spans [start, end) of the non-blank pieces of text between the separators the pattern matches. */
function spansBetween(text: string, separator: RegExp, from: number, to: number): [number, number][] {
  const spans: [number, number][] = [];
  const part = text.slice(from, to);
  let cursor = 0;
  for (const match of part.matchAll(separator)) {
    const cut = match.index + match[0].length;
    spans.push([from + cursor, from + (separator === PARAGRAPH_BREAK ? match.index : cut)]);
    cursor = cut;
  }
  spans.push([from + cursor, to]);
  return spans.map(([start, end]) => trimSpan(text, start, end)).filter(([start, end]) => end > start);
}

function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

/** A document's passages: paragraphs, and the sentences of any paragraph larger than maxTokens. */
export function passagesOf(document: Document, maxTokens: number): Passage[] {
  const spans = spansBetween(document.text, PARAGRAPH_BREAK, 0, document.text.length).flatMap(([start, end]) =>
    estimateTokens(document.text.slice(start, end)) > maxTokens ? spansBetween(document.text, SENTENCE_END, start, end) : [[start, end] as [number, number]],
  );
  return spans.map(([start, end], index) => {
    const text = document.text.slice(start, end);
    return { id: `${document.id}#${index + 1}`, documentId: document.id, index: index + 1, start, end, text, tokens: estimateTokens(text) };
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A matcher counting whole-word occurrences of any focus term, case-insensitively. */
function termCounter(focusTerms: readonly string[]): (text: string) => number {
  const terms = [...new Set(focusTerms.map((term) => term.trim().toLowerCase()).filter(Boolean))];
  if (terms.length === 0) return () => 0;
  // Longer terms first, so "at least" is counted once rather than as "least" too.
  terms.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map((term) => escapeRegExp(term).replace(/\s+/g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return (text) => text.match(pattern)?.length ?? 0;
}

/** Relevance of a passage to the step: focus-term occurrences per 100 tokens. */
export function relevance(focusTerms: readonly string[]): (text: string) => number {
  const count = termCounter(focusTerms);
  return (text) => {
    const tokens = estimateTokens(text);
    return tokens === 0 ? 0 : (count(text) * 100) / tokens;
  };
}

/** One passage that is a whole item (an upstream artifact, say): never split. */
export function wholePassage(id: string, text: string): Passage {
  return { id, documentId: id, index: 1, start: 0, end: text.length, text, tokens: estimateTokens(text) };
}

/** Chooses, by the rule above, the passages that fit in maxTokens. */
export function choosePassages(passages: readonly Passage[], options: { maxTokens: number; focusTerms: readonly string[] }): ContextFit {
  const budgetTokens = Math.max(0, Math.floor(options.maxTokens));
  const totalTokens = passages.reduce((sum, passage) => sum + passage.tokens, 0);
  if (totalTokens <= budgetTokens) return { kept: [...passages], leftOut: [], budgetTokens, keptTokens: totalTokens, totalTokens };

  const score = relevance(options.focusTerms);
  const ranked = passages.map((passage, order) => ({ passage, order, score: score(passage.text) })).sort((a, b) => b.score - a.score || a.order - b.order);
  const keep = new Set<number>();
  let keptTokens = 0;
  for (const { passage, order } of ranked) {
    if (keptTokens + passage.tokens > budgetTokens) continue;
    keep.add(order);
    keptTokens += passage.tokens;
  }
  return {
    kept: passages.filter((_, order) => keep.has(order)),
    leftOut: passages.filter((_, order) => !keep.has(order)).map(({ id, documentId, tokens }) => ({ id, documentId, tokens })),
    budgetTokens,
    keptTokens,
    totalTokens,
  };
}

/** Splits the documents into passages (paragraphs, or sentences of a paragraph larger than the budget) and chooses those that fit. */
export function fitPassages(documents: readonly Document[], options: { maxTokens: number; focusTerms: readonly string[] }): ContextFit {
  return choosePassages(
    documents.flatMap((document) => passagesOf(document, options.maxTokens)),
    options,
  );
}

/**
 * A document's text made of its kept passages only, in order. Neighbouring passages keep the
 * text that was between them; where passages were left out between two kept ones, they are
 * joined by a blank line. Every kept passage stays a verbatim substring of the original, so
 * quotes drawn from it can still be found in the source.
 */
export function keptText(document: Document, kept: readonly Passage[]): string {
  const own = kept.filter((passage) => passage.documentId === document.id).sort((a, b) => a.index - b.index);
  return own
    .map((passage, position) => {
      const previous = own[position - 1];
      if (!previous) return passage.text;
      return (passage.index === previous.index + 1 ? document.text.slice(previous.end, passage.start) : "\n\n") + passage.text;
    })
    .join("");
}
