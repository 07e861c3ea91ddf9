/**
 * Where a quote sits in its source, tolerant of reflowed whitespace like the grounding check,
 * so the review page can show the cited passage in context.
 */
export type Passage = { before: string; match: string; after: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The pattern of a quote, kept: the queue shows the same citations on every visit, and compiling
 * a pattern costs more than running it over a short source (about a millisecond for a page of 50).
 * Patterns carry no state between uses (no g or y flag), so sharing them is safe.
 */
const patterns = new Map<string, RegExp | null>();
const MAX_PATTERNS = 2000;

function quotePattern(quote: string): RegExp | null {
  let pattern = patterns.get(quote);
  if (pattern === undefined) {
    const words = quote.trim().split(/\s+/).filter(Boolean);
    pattern = words.length === 0 ? null : new RegExp(words.map(escapeRegExp).join("\\s+"));
    if (patterns.size >= MAX_PATTERNS) patterns.delete(patterns.keys().next().value!);
    patterns.set(quote, pattern);
  }
  return pattern;
}

export function findPassage(sourceText: string, quote: string, contextChars = 160): Passage | null {
  const match = quotePattern(quote)?.exec(sourceText);
  if (!match) return null;
  const start = match.index;
  const end = start + match[0].length;
  const from = Math.max(0, start - contextChars);
  const to = Math.min(sourceText.length, end + contextChars);
  return {
    before: (from > 0 ? "…" : "") + sourceText.slice(from, start),
    match: match[0],
    after: sourceText.slice(end, to) + (to < sourceText.length ? "…" : ""),
  };
}
