/**
 * Where a quote sits in its source, tolerant of reflowed whitespace like the grounding check,
 * so the review page can show the cited passage in context.
 */
export type Passage = { before: string; match: string; after: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function findPassage(sourceText: string, quote: string, contextChars = 160): Passage | null {
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const match = new RegExp(words.map(escapeRegExp).join("\\s+")).exec(sourceText);
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
