import { tokenizeSentences, type Token } from "@/lib/models/offline/nlp";

/** Shared helpers of the draft checks: tokens from the one NLP pipeline, word keys, phrase search. */
export type { Token };

export const tokenize = (text: string): Token[][] => tokenizeSentences(text);

export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

export const quoteList = (words: readonly string[]) => words.map((word) => `'${word}'`).join(", ");

/** The text as a regular expression that matches it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * A pattern matching any of the phrases as whole words, longest first, whitespace-flexible.
 * A phrase ending in punctuation ("like,") needs that punctuation; "-" counts as part of a word.
 */
export function phrasePattern(phrases: readonly string[]): RegExp {
  const alternatives = [...phrases]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => {
      const body = escapeRegExp(phrase).replace(/ /g, "\\s+");
      const end = /\w$/.test(phrase) ? "(?![\\w-])" : "";
      const start = /^\w/.test(phrase) ? "(?<![\\w-])" : "";
      return `${start}${body}${end}`;
    });
  return new RegExp(`(?:${alternatives.join("|")})`, "gi");
}

/** Occurrences of a pattern with their positions, as written in the text. */
export function matchesOf(text: string, pattern: RegExp): { text: string; start: number }[] {
  const global = pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + "g");
  return [...text.matchAll(global)].map((match) => ({ text: match[0].trim(), start: match.index }));
}

/**
 * A light stem, so "deleted", "deletes" and "deleting" meet, and compromise's lemma and the
 * written word can be compared from either side ("e-bikes" vs root "ebike").
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, "").replace(/[^\p{L}\p{N}-]/gu, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (/(?:ss|us|is)$/.test(w)) return w;
  else if (/(?:sh|ch|x|s|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s")) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ied") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  // "stopp(ed)", "plann(ing)": a doubled final consonant left by the suffix
  if (/([bdgklmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Every key a token can be matched by: the stem of its lemma and of the word as written. */
export function keysOf(token: Token): string[] {
  return unique([stem(token.root), stem(token.lower), ...token.lower.split("-").filter((part) => part.length > 2).map(stem)]);
}

const PUNCTUATION_ONLY = /^[^\p{L}\p{N}]*$/u;
export const isWord = (token: Token) => !PUNCTUATION_ONLY.test(token.text);
