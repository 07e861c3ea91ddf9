import { FREQUENCY_ADVERBS, MANUAL_WORK_MARKERS, PERSON_NOUNS } from "./lexicon";
import { verbForms, type Token } from "./nlp";

/**
 * Requirement wording is copied from the source words, swapping only the words a rule must
 * (pronouns, verb forms), so a statement stays as close to what the stakeholder said as it can.
 */
type Substitutions = ReadonlyMap<Token, string>;

/** The words as they appear in `text`, spacing and punctuation between them included, with substitutions applied. */
export function renderWords(text: string, tokens: readonly Token[], substitutions: Substitutions = new Map()): string {
  let rendered = "";
  tokens.forEach((token, index) => {
    if (index > 0) {
      // Between words that were next to each other, the source's own spacing and punctuation; otherwise a space.
      const gap = token.start >= tokens[index - 1].end ? text.slice(tokens[index - 1].end, token.start) : " ";
      rendered += /[\p{L}\p{N}]/u.test(gap) ? " " : gap;
    }
    rendered += substitutions.get(token) ?? token.text;
  });
  // "hours (Mon-Fri 7:00-19:00)": the closing bracket sits after the last word.
  const last = tokens.at(-1);
  if (last && text.charAt(last.end) === ")" && count(rendered, "(") > count(rendered, ")")) rendered += ")";
  return tidy(rendered);
}

const count = (text: string, character: string) => text.split(character).length - 1;

/** Collapses spacing, drops empty brackets and spaces before punctuation left by dropped words. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\(\s*\)/g, "")
    .replace(/\s+([,.;:!?)])/g, "$1")
    .replace(/\(\s+/g, "(")
    .replace(/,(\s*,)+/g, ",")
    .trim();
}

/** A finished statement: capitalised, brackets balanced, one full stop. */
export function asStatement(text: string): string {
  let statement = tidy(text).replace(/[\s,;:.–—-]+$/, "");
  const unclosed = count(statement, "(") - count(statement, ")");
  if (unclosed > 0) statement += ")".repeat(unclosed);
  statement = statement.replace(/^[)\s]+/, "");
  return `${upperFirst(statement)}.`;
}

export const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "Patients" -> "patients", but "Excel" and "SMS" keep their capitals. */
export function lowerFirst(text: string): string {
  const firstWord = text.split(/\s/)[0];
  const isName = firstWord.length > 1 && (firstWord === firstWord.toUpperCase() || /^[A-Z][a-z]+[A-Z]/.test(firstWord));
  return isName || firstWord === "I" ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

export function isPersonWord(token: Token): boolean {
  return PERSON_NOUNS.has(token.root) || PERSON_NOUNS.has(token.lower.replace(/s$/, "")) || token.tags.has("Actor");
}

const SUBJECT_BOUNDARIES = new Set(["who", "that", "which", "whose", "of", "for", "to", "at", "in", "with", "on", "by", "from", "about", "during"]);

/** The word a noun phrase is about: "a patient who is deaf" -> "patient", "Patient data" -> "data". */
function headToken(tokens: readonly Token[]): Token | null {
  const boundary = tokens.findIndex((token, index) => index > 0 && SUBJECT_BOUNDARIES.has(token.lower));
  const phrase = boundary < 0 ? tokens : tokens.slice(0, boundary);
  const nouns = phrase.filter((token) => token.tags.has("Noun") || isPersonWord(token));
  const head = nouns.at(-1) ?? phrase.at(-1) ?? null;
  return head && !head.tags.has("Pronoun") ? head : null;
}

/** The head noun, singular: "Every access to a record" -> "access", "Follow-ups" -> "follow-up". */
export function headNoun(tokens: readonly Token[]): string | null {
  const head = headToken(tokens);
  if (!head) return null;
  const word = isPersonWord(head) ? head.lower.replace(/s$/, "") : head.root;
  // compromise splits "follow-ups" in two; the head is the whole word.
  const before = tokens[tokens.indexOf(head) - 1];
  return before && before.end === head.start - 1 && head.tags.has("Hyphenated") ? `${before.lower}-${word.replace(/s$/, "")}` : word;
}

export function isPluralHead(tokens: readonly Token[]): boolean {
  const head = headToken(tokens);
  // compromise does not always tag the plural of a hyphenated word ("follow-ups")
  return head !== null && (head.tags.has("Plural") || (/[^siu]s$/.test(head.lower) && !head.tags.has("Singular")));
}

/** Whether the phrase is about people ("New patients", "A rider who is blind"), so "must be able to" reads right after it. */
export function namesPeople(tokens: readonly Token[]): boolean {
  const head = headToken(tokens);
  const startsWithGerund = tokens[0]?.tags.has("Gerund") ?? false; // "Searching a patient by name"
  return head !== null && !startsWithGerund && (isPersonWord(head) || head.tags.has("Person"));
}

/** The base form of a verb token: "sees" -> "see", "is" -> "be", "handled" -> "handle". */
export function baseVerb(token: Token): string {
  if (token.tags.has("Copula") || ["is", "are", "was", "were", "am"].includes(token.lower)) return "be";
  return token.root;
}

/** "call every patient by hand to move them" -> "calling every patient to move them": what the speaker does by hand, as a task. */
export function gerundPhrase(text: string, verb: Token, rest: readonly Token[]): string {
  const words = [...rest];
  for (const marker of MANUAL_WORK_MARKERS) {
    const parts = marker.split(" ");
    const at = words.findIndex((_, index) => parts.every((part, offset) => words[index + offset]?.lower === part));
    if (at >= 0) words.splice(at, parts.length);
  }
  return renderWords(text, [verb, ...words], new Map([[verb, verbForms(baseVerb(verb)).gerund]]));
}

/**
 * "Second thing: the network goes down": a short label before a colon heads the sentence (a
 * speaker numbering their points); what the sentence says starts after it. A colon after a verb
 * ("The rule is: ...") is no heading.
 */
export function afterHeading(text: string, tokens: readonly Token[]): readonly Token[] {
  const colon = tokens.findIndex((token, index) => index < MAX_HEADING_WORDS && index + 1 < tokens.length && text.slice(token.end, tokens[index + 1].start).includes(":"));
  return colon >= 0 && !tokens.slice(0, colon + 1).some((token) => token.tags.has("Verb")) ? tokens.slice(colon + 1) : tokens;
}
const MAX_HEADING_WORDS = 4;

/** Words that open a condition; "after" and "before" say when, and after a thing they are its figure ("Thirty days after delivery"). */
export const CONDITIONS = new Set(["if", "when", "unless", "once", "until", "whenever"]);

/**
 * A statement as the thing it is about: "patients often arrive late" -> "patients who arrive late";
 * "e-bikes with a low battery are a problem" -> "e-bikes with a low battery".
 */
export function relativePhrase(text: string, sentence: readonly Token[]): string | null {
  const tokens = afterHeading(text, sentence);
  const verbAt = tokens.findIndex((token, index) => index > 0 && token.tags.has("Verb"));
  if (verbAt < 1) return null;
  const subject = tokens.slice(0, verbAt).filter((token) => !FREQUENCY_ADVERBS.has(token.lower));
  // "If a pupil cancels late, they pay anyway": a condition and its outcome are no thing to name.
  if (subject.length === 0 || subject.some((token) => token.tags.has("Pronoun") || CONDITIONS.has(token.lower))) return null;
  if (baseVerb(tokens[verbAt]) === "be") return renderWords(text, subject);
  const predicate = tokens.slice(verbAt).filter((token) => !FREQUENCY_ADVERBS.has(token.lower));
  return `${renderWords(text, subject)} ${namesPeople(subject) ? "who" : "that"} ${renderWords(text, predicate)}`;
}
