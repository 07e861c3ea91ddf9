import type { SourceQuote } from "./schema";

/**
 * A drafted item is grounded when every passage it quotes really is in the source it cites.
 * Verbatim means the exact characters, except that any run of whitespace (newlines included)
 * equals a single space, because models reflow lines. Case, quote marks and punctuation are not
 * normalised: a quote that needed them changed was not copied.
 */
export type UngroundedQuote = { quote: SourceQuote; problem: "unknown_source" | "not_found" };

const collapseWhitespace = (text: string) => text.replace(/\s+/g, " ");

export function isGrounded(quote: string, sourceText: string): boolean {
  // Whitespace at either end of the quote is reflow too: " a passage\n" still quotes "a passage".
  const passage = collapseWhitespace(quote).trim();
  return passage.length > 0 && collapseWhitespace(sourceText).includes(passage);
}

export function findUngroundedQuotes(quotes: SourceQuote[], sourcesById: Map<string, string>): UngroundedQuote[] {
  return quotes.flatMap((quote): UngroundedQuote[] => {
    const sourceText = sourcesById.get(quote.sourceId);
    if (sourceText === undefined) return [{ quote, problem: "unknown_source" }];
    return isGrounded(quote.quote, sourceText) ? [] : [{ quote, problem: "not_found" }];
  });
}
