import { GENERIC_LEMMAS, SYNONYMS, UNIT_MODIFIERS } from "./lexicon";
import nlp from "compromise";
import { tokenizeSentences, type Token } from "./nlp";

/**
 * What a statement is about, for telling whether two requirements say the same thing or
 * contradict each other: its content lemmas, the nouns after its verb, and its figures.
 */
export type Figure = { value: string; unit: string; /** as written: "7 days" */ text: string };

export type Terms = {
  lemmas: ReadonlySet<string>;
  /** the lemmas plus those of the context, e.g. the complaint a statement was read from */
  matchLemmas: ReadonlySet<string>;
  /** nouns after the main verb: what is acted on ("the ride", "a refund") */
  objects: ReadonlySet<string>;
  figures: Figure[];
};

const CONTENT_TAGS = ["Noun", "Verb", "Adjective", "Adverb"];
const SKIPPED_TAGS = ["Pronoun", "Determiner", "Preposition", "Conjunction", "Modal", "Auxiliary", "Copula", "Value", "Negative"];
const TIME_UNITS = new Set(["second", "minute", "hour", "day", "week", "month", "year", "time"]);

export function normalizeLemma(lemma: string): string {
  const synonym = SYNONYMS.get(lemma);
  if (synonym) return synonym;
  // "cancellation" -> "cancel": the noun of an action matches the action
  if (lemma.endsWith("ation") && lemma.length > 8) return normalizeLemma(lemma.slice(0, -5).replace(/(.)\1$/, "$1"));
  return lemma;
}

/** The terms of a statement; `context` (e.g. the complaint it was read from) adds lemmas but no objects or figures. */
export function termsOf(statement: string, context = ""): Terms {
  const tokens = tokenizeSentences(statement).flat();
  const contextTokens = context ? tokenizeSentences(context).flat() : [];
  const lemmas = contentLemmas(tokens);
  return { lemmas, matchLemmas: new Set([...lemmas, ...contentLemmas(contextTokens)]), objects: objectsOf(tokens), figures: figuresOf(tokens, statement) };
}

function contentLemmas(tokens: Token[]): Set<string> {
  const lemmas = new Set<string>();
  for (const token of tokens) {
    if (!CONTENT_TAGS.some((tag) => token.tags.has(tag)) || SKIPPED_TAGS.some((tag) => token.tags.has(tag))) continue;
    const lemma = normalizeLemma(token.root.replace(/'s$/, ""));
    if (!GENERIC_LEMMAS.has(lemma) && /[a-z]/.test(lemma)) lemmas.add(lemma);
  }
  return lemmas;
}

function objectsOf(tokens: Token[]): Set<string> {
  const must = tokens.findIndex((token) => token.lower === "must");
  const verb = tokens.findIndex((token, index) => index > must && token.tags.has("Verb") && !["be", "able", "to", "not"].includes(token.lower));
  const nouns = tokens.slice(verb + 1).filter((token) => token.tags.has("Noun") && !token.tags.has("Pronoun") && !token.tags.has("Date"));
  return new Set(nouns.map((token) => normalizeLemma(token.root)).filter((lemma) => !TIME_UNITS.has(lemma) && !GENERIC_LEMMAS.has(lemma)));
}

// "14:00", "8.30", "9am", "5 pm": a time of day, comparable with any other time of day.
const CLOCK_TIME = /^\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)?$/i;
const CLOCK_UNIT = "time of day";
const NAMED_TIMES = new Map([
  ["noon", "12:00"],
  ["midday", "12:00"],
  ["midnight", "00:00"],
]);

/** "24 hours", "2,000 messages", "99.5%", "24/7", "14:00", "five years", "forty-five minutes" */
function figuresOf(tokens: Token[], text: string): Figure[] {
  const figures: Figure[] = [];
  tokens.forEach((token, index) => {
    // "noon", "midnight": a time of day said in a word.
    const named = NAMED_TIMES.get(token.lower);
    if (named) {
      figures.push({ value: named, unit: CLOCK_UNIT, text: token.text });
      return;
    }
    // "the day before", "the working day before": one day before, against "two days before" (its text, like theirs, leaves "before" out).
    const the = UNIT_MODIFIERS.has(tokens[index - 1]?.lower ?? "") ? index - 2 : index - 1;
    if (token.lower === "day" && tokens[the]?.lower === "the" && ["before", "after"].includes(tokens[index + 1]?.lower ?? "")) {
      figures.push({ value: "1", unit: "day", text: text.slice(tokens[the].start, token.end) });
      return;
    }
    if (isNumberWord(token)) {
      // People say figures in words: "five years", "forty-five minutes". A run of number words is one figure.
      if (isNumberWord(tokens[index - 1])) return;
      let end = index + 1;
      while (isNumberWord(tokens[end])) end++;
      const words = text.slice(token.start, tokens[end - 1].end);
      const value = numberValue(words);
      const after = unitCandidate(tokens, end);
      const unit = after !== undefined && after.tags.has("Noun") && !after.tags.has("Pronoun") ? after : null;
      // "the big one", "that one": a number word with no unit after a determiner is a pronoun.
      const pronoun = !unit && (value === 1 || ["Determiner", "Adjective"].some((tag) => tokens[index - 1]?.tags.has(tag)));
      if (value !== null && !pronoun) figures.push({ value: String(value), unit: unit?.root ?? "", text: unit ? text.slice(token.start, unit.end) : words });
      return;
    }
    // "from May to September": a run of months is a figure, set only against another run ("April to October"), not a month.
    const month = monthOf(token);
    if (month > 0) {
      const end = RANGE_WORDS.has(tokens[index + 1]?.lower ?? "") ? monthOf(tokens[index + 2]) : 0;
      if (end > 0) figures.push({ value: `${month}-${end}`, unit: "months of the year", text: text.slice(token.start, tokens[index + 2].end) });
      else if (monthOf(tokens[index - 2]) === 0 || !RANGE_WORDS.has(tokens[index - 1]?.lower ?? "")) figures.push({ value: String(month), unit: "month of the year", text: token.text });
      return;
    }
    // "by the fifth working day": an ordinal counts the days (weeks, months) it names.
    if (isOrdinalWord(token)) {
      const unit = unitCandidate(tokens, index + 1);
      const value = unit && ORDINAL_UNITS.has(unit.root) ? numberValue(token.text) : null;
      if (value !== null) figures.push({ value: String(value), unit: unit!.root, text: text.slice(token.start, unit!.end) });
      return;
    }
    // "P4", "B2B", "A3": a code of letters and digits names something; it counts nothing.
    if (!/\d/.test(token.text) || /^[a-z]+\d/i.test(token.text)) return;
    const next = tokens[index + 1];
    if (isClockTime(token, next)) {
      const withSuffix = next && /^(?:am|pm|a\.m\.|p\.m\.)$/i.test(next.text);
      const text = withSuffix ? `${token.text} ${next.text}` : token.text;
      figures.push({ value: clockValue(text), unit: CLOCK_UNIT, text });
      return;
    }
    const unitToken = unitCandidate(tokens, index + 1);
    const hasUnit = unitToken !== undefined && unitToken.tags.has("Noun") && !/\d/.test(unitToken.text);
    const unit = token.text.endsWith("%") ? "%" : hasUnit ? unitToken.root : "";
    figures.push({ value: token.text.replace(/%$/, ""), unit, text: hasUnit ? text.slice(token.start, unitToken.end) : token.text });
  });
  return figures;
}

/** The word that may be a figure's unit, the figure ending before `at`: "ten working days" -> "days". */
const unitCandidate = (tokens: readonly Token[], at: number): Token | undefined => (UNIT_MODIFIERS.has(tokens[at]?.lower ?? "") ? tokens[at + 1] : tokens[at]);

/** "8:00", "08:00", "8am" -> "08:00"; "5 pm" -> "17:00" */
function clockValue(text: string): string {
  const [, hours = "0", minutes = "00", suffix = ""] = /^(\d{1,2})(?:[:.](\d{2}))?\s?([ap])?/i.exec(text) ?? [];
  const hour = suffix === "" ? Number(hours) : (Number(hours) % 12) + (suffix.toLowerCase() === "p" ? 12 : 0);
  return `${String(hour).padStart(2, "0")}:${minutes}`;
}

const ORDINAL_UNITS = new Set(["day", "week", "month", "year"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const RANGE_WORDS = new Set(["to", "through", "until", "till"]);
/** 1-12 for a month's name ("May" the month, never the modal), 0 for anything else. */
const monthOf = (token: Token | undefined) => (token?.tags.has("Month") ? MONTHS.indexOf(token.lower.slice(0, 3)) + 1 : 0);
const isOrdinalWord = (token: Token) => token.tags.has("Ordinal") && token.tags.has("TextValue") && !/\d/.test(token.text);

const isNumberWord = (token: Token | undefined) =>
  token !== undefined && token.tags.has("TextValue") && token.tags.has("Cardinal") && !token.tags.has("Pronoun") && !/\d/.test(token.text);

const numberValues = new Map<string, number | null>();

/** "forty-five" -> 45, "three hundred" -> 300, through compromise. */
function numberValue(words: string): number | null {
  let value = numberValues.get(words);
  if (value === undefined) {
    // compromise answers an object instead of a list for some words ("Fifty's"): no figure then.
    const answer: unknown = nlp(words).numbers().get();
    const parsed: unknown = Array.isArray(answer) ? answer[0] : undefined;
    value = typeof parsed === "number" && Number.isFinite(parsed) ? parsed : null;
    numberValues.set(words, value);
  }
  return value;
}

function isClockTime(token: Token, next: Token | undefined): boolean {
  if (/^\d{1,2}:\d{2}$/.test(token.text) || (token.tags.has("Time") && CLOCK_TIME.test(token.text))) return true;
  return /^\d{1,2}$/.test(token.text) && next !== undefined && /^(?:am|pm|a\.m\.|p\.m\.)$/i.test(next.text);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = [...a].filter((lemma) => b.has(lemma)).length;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

export function sharedCount(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  return [...a].filter((lemma) => b.has(lemma)).length;
}

/** The same unit with different values: "up to 7 days" against "for 14 days". */
export function differingFigures(a: Figure[], b: Figure[]): [Figure, Figure] | null {
  for (const first of a) {
    const second = b.find((figure) => figure.unit !== "" && figure.unit === first.unit && figure.value !== first.value);
    if (second) return [first, second];
  }
  return null;
}
