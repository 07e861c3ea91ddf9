import type { QualityFlag, SourceQuote } from "../schema";
import { isWord, keysOf, matchesOf, phrasePattern, quoteList, stem, tokenize, unique, type Token } from "./text";
import { obligationIndex } from "./well-formed";
import { faithfulnessWords as lexicon } from "./words";

/**
 * Faithfulness: the grounding check proves a quote is verbatim; this one asks whether the
 * statement says what its quotes say. Every content word of the statement should come from a
 * quote (allowing inflection, listed synonyms and the "we" -> "<organisation> staff" rewrite);
 * numbers, units and deadlines must be in a quote; negation must agree; named actors must be in
 * the quote or the passage it was cut from.
 *
 * A requirement drawn from a complaint legitimately states the opposite ("the app crashed" ->
 * "must not crash", "is slow" -> "must be fast"), so for a quote that reports a problem and asks
 * for nothing, a flipped negation and an opposite on the same scale are allowed.
 */
export type Violation = { kind: "number" | "bound" | "unit" | "negation" | "actor"; words: string[]; reason: string };

export type FaithfulnessReport = {
  /** 0..1: share of the statement's content supported by its quotes, less 0.25 per violation */
  score: number;
  /** content words found in neither the quotes nor the passages around them */
  unsupported: string[];
  /** content words found only around the quotes (the question an answer replies to, the line a quote was cut from) */
  contextOnly: string[];
  violations: Violation[];
};

const scaffolding = new Set(lexicon.scaffolding.map(stem));
const speakerWords = new Set(lexicon.speakerWords);
const negatingSubjects = new Set(lexicon.negatingSubjects);
const organisationWords = new Set(lexicon.organisationWords.map(stem));
const units = new Set(lexicon.units.map(stem));
const roles = new Set(lexicon.roles.map(stem));
const indefiniteActors = new Set(lexicon.indefiniteActors);
const negations = new Set(lexicon.negations);
const problemCues = new Set(lexicon.problemCues.map(stem));
const obligationCuePattern = phrasePattern(lexicon.quoteObligationCues);
const boundPattern = new RegExp(`(?<![\\w-])(${lexicon.bounds.map((bound) => bound.replace(/ /g, "\\s+")).join("|")})\\s+(?:the\\s+)?$`, "i");

function groupIndex(groups: string[][]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  groups.forEach((group, id) => {
    for (const word of group) index.set(stem(word), [...(index.get(stem(word)) ?? []), id]);
  });
  return index;
}
const synonymGroups = groupIndex(lexicon.synonyms);
const oppositeGroups = groupIndex(lexicon.opposites);

const NON_CONTENT_TAGS = ["Determiner", "Preposition", "Conjunction", "Pronoun", "Modal", "Auxiliary", "Copula", "Negative", "Value", "QuestionWord"];

function isContent(token: Token): boolean {
  if (!isWord(token) || token.lower.length < 2 || /\d/.test(token.text)) return false;
  if (NON_CONTENT_TAGS.some((tag) => token.tags.has(tag))) return false;
  return !keysOf(token).some((key) => scaffolding.has(key));
}

/**
 * What a passage offers to cover the statement's words. `speaker`: the passage is in the first
 * person ("we need", "I want"), so the organisation may be named in the speaker's place.
 */
type Evidence = { keys: Set<string>; synonyms: Set<number>; opposites: Set<number>; speaker: boolean };

function evidenceOf(tokens: Token[]): Evidence {
  const keys = new Set(tokens.flatMap(keysOf));
  const groupsOf = (index: Map<string, number[]>) => new Set([...keys].flatMap((key) => index.get(key) ?? []));
  return {
    keys,
    synonyms: groupsOf(synonymGroups),
    opposites: groupsOf(oppositeGroups),
    speaker: tokens.some((token) => speakerWords.has(token.lower.replace(/['’](?:d|ll|re|ve|m)$/, ""))),
  };
}

const intersects = <T>(items: readonly T[], set: ReadonlySet<T>) => items.some((item) => set.has(item));

function covers(evidence: Evidence, token: Token, allowOpposites: boolean): boolean {
  const keys = keysOf(token);
  if (intersects(keys, evidence.keys)) return true;
  if (intersects(keys.flatMap((key) => synonymGroups.get(key) ?? []), evidence.synonyms)) return true;
  return allowOpposites && intersects(keys.flatMap((key) => oppositeGroups.get(key) ?? []), evidence.opposites);
}

/** "our servers" -> "the bike-share's servers", "we" / "I" -> "CityCycle staff": the organisation's name, rewritten from the speaker. */
function organisationRewrite(tokens: Token[]): Set<Token> {
  const rewritten = new Set<Token>();
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    const isName = token.tags.has("Possessive") || organisationWords.has(stem(token.lower)) || (next !== undefined && organisationWords.has(stem(next.lower)));
    if (!isName) return;
    rewritten.add(token);
    for (let before = index - 1; before >= 0 && tokens[before].tags.has("Hyphenated"); before--) rewritten.add(tokens[before]);
  });
  return rewritten;
}

// ---------------------------------------------------------------------------------------------
// Numbers and deadlines

/** `value` normalised for comparison ("5,000" = "5000"), `raw` as written. */
type NumberMention = { value: string; raw: string; bound: string | null };

const numberWords = new Map(Object.entries(lexicon.numberWords));

function normaliseNumber(raw: string): string {
  if (/^\d{1,3}(?:,\d{3})+$/.test(raw)) return raw.replace(/,/g, "");
  // "09:30" is "9:30", and "10:00" is the "10" of "10 a.m."
  if (raw.includes(":")) return raw.replace(/^0(\d)/, "$1").replace(/:00$/, "");
  const value = Number(raw.replace(",", "."));
  return Number.isFinite(value) ? String(value) : raw;
}

function numbersIn(text: string): NumberMention[] {
  const boundBefore = (start: number) => boundPattern.exec(text.slice(0, start))?.[1]?.toLowerCase().replace(/\s+/g, " ") ?? null;
  const digits = [...text.matchAll(/\d+(?:[.,:]\d+)*/g)].map((match) => ({ value: normaliseNumber(match[0]), raw: match[0], bound: boundBefore(match.index) }));
  const words = [...text.matchAll(/[A-Za-z]+/g)]
    .filter((match) => numberWords.has(match[0].toLowerCase()))
    .map((match) => ({ value: String(numberWords.get(match[0].toLowerCase())), raw: match[0], bound: boundBefore(match.index) }));
  return [...digits, ...words];
}

function numberViolations(statement: string, quotes: readonly string[]): Violation[] {
  const quoted = quotes.flatMap(numbersIn);
  const violations: Violation[] = [];
  const missing = unique(numbersIn(statement).filter((mention) => !quoted.some((q) => q.value === mention.value)).map((m) => m.raw));
  if (missing.length > 0) {
    violations.push({ kind: "number", words: missing, reason: `${quoteList(missing)} ${missing.length > 1 ? "are" : "is"} in no quote` });
  }
  for (const mention of numbersIn(statement)) {
    const same = quoted.filter((q) => q.value === mention.value && q.bound !== null);
    if (mention.bound && same.length > 0 && !same.some((q) => q.bound === mention.bound)) {
      violations.push({
        kind: "bound",
        words: [`${mention.bound} ${mention.raw}`],
        reason: `the statement says '${mention.bound} ${mention.raw}', the quote '${same[0].bound} ${same[0].raw}'`,
      });
    }
  }
  if (!violations.some((violation) => violation.kind === "bound")) {
    // "2 days before pay day" -> "after pay day": an order word replaced by another, wherever it stands.
    const said = orderBoundsIn(statement);
    const quotedBounds = new Set(quotes.flatMap(orderBoundsIn));
    const added = said.filter((bound) => !quotedBounds.has(bound));
    const dropped = [...quotedBounds].filter((bound) => !said.includes(bound));
    if (added.length > 0 && dropped.length > 0) {
      violations.push({ kind: "bound", words: added, reason: `the statement says ${quoteList(added)} where the quote says ${quoteList(dropped)}` });
    }
  }
  return violations;
}

const orderBoundPattern = phrasePattern(lexicon.orderBounds);
const orderBoundsIn = (text: string) => unique(matchesOf(text, orderBoundPattern).map((match) => match.text.toLowerCase().replace(/\s+/g, " ")));

// ---------------------------------------------------------------------------------------------
// Negation

const SKIP_TO_VERB = new Set(["not", "never", "also", "always", "only", "be", "able", "to", "been", "required"]);

const isNegationWord = (token: Token) => token.negated || token.tags.has("Negative") || negations.has(token.lower);

/**
 * A verb is negated by "not", "never", "cannot" in the auxiliaries just before it ("must not be
 * able to end", "was never paid"), or by a negating subject in its clause ("nobody outside the
 * team sees"). Punctuation ends the search: in "no, make that eight" the "no" answers something else.
 */
function isNegatedAt(tokens: Token[], index: number): boolean {
  if (tokens[index].negated) return true;
  let auxiliaries = true;
  for (let before = index - 1; before >= 0; before--) {
    const token = tokens[before];
    if (tokens[before + 1].start - token.end > 1) return false;
    if (auxiliaries && isNegationWord(token)) return true;
    if (negatingSubjects.has(token.lower)) return true;
    auxiliaries &&= SKIP_TO_VERB.has(token.lower) || ["Adverb", "Modal", "Auxiliary", "Copula"].some((tag) => token.tags.has(tag));
  }
  return false;
}

type Obligation = { negated: boolean; verb: Token | null; word: string };

function obligationOf(statement: string, tokens: Token[]): Obligation | null {
  const modal = obligationIndex(statement, tokens);
  if (modal === -1) return null;
  let next = modal + 1;
  let negated = tokens[modal].negated || tokens.slice(0, modal).some((token) => negatingSubjects.has(token.lower));
  while (next < tokens.length && (SKIP_TO_VERB.has(tokens[next].lower) || tokens[next].tags.has("Adverb") || tokens[next].tags.has("Negative"))) {
    if (isNegationWord(tokens[next])) negated = true;
    next++;
  }
  const verb = tokens[next]?.tags.has("Verb") ? tokens[next] : null;
  const word = tokens.slice(modal, next).map((token) => token.text).join(" ");
  return { negated, verb, word };
}

/** The quote reports a problem and asks for nothing: "the app crashed when the phone lost signal". */
function reportsProblem(quoteText: string, sentences: Token[][]): boolean {
  if (matchesOf(quoteText, obligationCuePattern).length > 0) return false;
  return sentences.some((tokens) =>
    tokens.some((token, index) => {
      if (keysOf(token).some((key) => problemCues.has(key))) return true;
      if (!token.tags.has("PastTense")) return false;
      let before = index - 1;
      while (before >= 0 && (tokens[before].tags.has("Adverb") || tokens[before].tags.has("Negative"))) before--;
      // "are counted" is a present rule in the passive; "was paid", "crashed" happened
      return !["is", "are", "am", "be", "been", "being", "has", "have", "get", "gets"].includes(tokens[before]?.lower ?? "");
    }),
  );
}

function negationViolation(statement: string, statementTokens: Token[], quoteSentences: Token[][]): Violation | null {
  const obligation = obligationOf(statement, statementTokens);
  if (!obligation) return null;
  const verbKeys = obligation.verb ? keysOf(obligation.verb).filter((key) => key !== "be") : [];
  const occurrences = quoteSentences.flatMap((tokens) =>
    tokens.flatMap((token, index) => (verbKeys.length > 0 && intersects(keysOf(token), new Set(verbKeys)) ? [isNegatedAt(tokens, index)] : [])),
  );
  let mismatch: boolean;
  if (occurrences.length > 0) {
    mismatch = !occurrences.includes(obligation.negated);
  } else {
    // Without the verb to compare, only a prohibition the quotes never hint at is a mismatch.
    mismatch = obligation.negated && !quoteSentences.flat().some(isNegationWord);
  }
  if (!mismatch) return null;
  return {
    kind: "negation",
    words: [obligation.word],
    reason: obligation.negated
      ? `the statement says '${obligation.word}' but the quote does not forbid it`
      : `the statement says '${obligation.word}' but the quote says the opposite`,
  };
}

// ---------------------------------------------------------------------------------------------
// Actors

/** The words before the obligation name who acts ("Porters must ..."), whatever their tag. */
function subjectWords(statement: string, tokens: Token[]): Token[] {
  const modal = obligationIndex(statement, tokens);
  if (modal === -1) return [];
  const clauseStart = tokens.findLastIndex((token, index) => index < modal && /[,;]/.test(statement.slice(token.end, tokens[index + 1].start)));
  return tokens.slice(clauseStart + 1, modal).filter(isContent);
}

function isActor(token: Token): boolean {
  if (indefiniteActors.has(token.lower) || token.tags.has("Pronoun") || keysOf(token).some((key) => scaffolding.has(key))) return false;
  return token.tags.has("Person") || token.tags.has("Actor") || keysOf(token).some((key) => roles.has(key));
}

// ---------------------------------------------------------------------------------------------

const normaliseQuote = (quote: string | SourceQuote) => (typeof quote === "string" ? quote : quote.quote);
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * The passage around each quote: its line in the source, and the question before it when the
 * line answers one ("Q: What must the app show on the map?" / "A: Every station, ...").
 */
export function quoteContexts(quotes: readonly SourceQuote[], sourceTexts: ReadonlyMap<string, string>): string[] {
  return quotes.flatMap(({ sourceId, quote }) => {
    const source = sourceTexts.get(sourceId);
    if (source === undefined) return [];
    const { lines, collapsed, starts, filledBefore } = linesOf(sourceTexts, sourceId, source);
    // The first line holding the quote's first 40 characters (a line holding the whole quote holds those too).
    const found = collapsed.indexOf(collapse(quote).slice(0, 40));
    if (found === -1) return [];
    const at = lastAtOrBefore(starts, found);
    const previous = filledBefore[at] === -1 ? undefined : lines[filledBefore[at]];
    return previous?.trim().endsWith("?") ? [previous, lines[at]] : [lines[at]];
  });
}

/** A source's lines, and all of them collapsed and joined by line breaks (which no collapsed quote holds), to search at once. */
type SourceLines = { text: string; lines: string[]; collapsed: string; starts: number[]; filledBefore: number[] };

// A run checks every draft against the same sources: each is split once per map of source texts, not once per quote.
const linesBySourceTexts = new WeakMap<ReadonlyMap<string, string>, Map<string, SourceLines>>();

function linesOf(sourceTexts: ReadonlyMap<string, string>, sourceId: string, text: string): SourceLines {
  let bySource = linesBySourceTexts.get(sourceTexts);
  if (!bySource) linesBySourceTexts.set(sourceTexts, (bySource = new Map()));
  const known = bySource.get(sourceId);
  if (known?.text === text) return known;
  const lines = text.split(/\r?\n/);
  const starts: number[] = [];
  const filledBefore: number[] = [];
  let [offset, filled] = [0, -1];
  const collapsedLines = lines.map((line, index) => {
    starts.push(offset);
    filledBefore.push(filled);
    if (line.trim() !== "") filled = index;
    const collapsedLine = collapse(line);
    offset += collapsedLine.length + 1;
    return collapsedLine;
  });
  const entry = { text, lines, collapsed: collapsedLines.join("\n"), starts, filledBefore };
  bySource.set(sourceId, entry);
  return entry;
}

/** The index of the last of the ascending `values` that is at most `value`. */
function lastAtOrBefore(values: readonly number[], value: number): number {
  let [low, high] = [0, values.length - 1];
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (values[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function assessFaithfulness(statement: string, quotes: readonly (string | SourceQuote)[], contexts: readonly string[] = []): FaithfulnessReport {
  const quoteTexts = quotes.map(normaliseQuote);
  const statementTokens = tokenize(statement).flat();
  const perQuote = quoteTexts.map(tokenize);
  const quoteSentences = perQuote.flat();
  const quoted = evidenceOf(quoteSentences.flat());
  const around = evidenceOf(contexts.flatMap(tokenize).flat());
  const complaint = quoteTexts.length > 0 && quoteTexts.every((quote, i) => reportsProblem(quote, perQuote[i]));
  const rewritten = quoted.speaker || around.speaker ? organisationRewrite(statementTokens) : new Set<Token>();

  const content = [...new Map(statementTokens.filter(isContent).map((token) => [keysOf(token)[0], token])).values()];
  const supported = (token: Token) => rewritten.has(token) || covers(quoted, token, complaint);
  const unsupported = content.filter((token) => !supported(token) && !covers(around, token, complaint));
  const contextOnly = content.filter((token) => !supported(token) && covers(around, token, complaint));

  const violations: Violation[] = [...numberViolations(statement, quoteTexts)];
  const unquotedUnits = unsupported.filter((token) => keysOf(token).some((key) => units.has(key)));
  if (unquotedUnits.length > 0) {
    const words = unquotedUnits.map((token) => token.text);
    violations.push({ kind: "unit", words, reason: `${quoteList(words)} ${words.length > 1 ? "are" : "is"} in no quote` });
  }
  const negation = negationViolation(statement, statementTokens, quoteSentences);
  if (negation && !complaint) violations.push(negation);
  const strangers = unique(
    [...subjectWords(statement, statementTokens), ...statementTokens.filter(isActor)].filter((token) => !rewritten.has(token) && !covers(quoted, token, false) && !covers(around, token, false)).map((token) => token.text),
  );
  if (strangers.length > 0) {
    violations.push({ kind: "actor", words: strangers, reason: `${quoteList(strangers)} ${strangers.length > 1 ? "are" : "is"} named neither in the quote nor around it` });
  }

  const support = content.length === 0 ? 1 : (content.length - unsupported.length - contextOnly.length * 0.5) / content.length;
  const score = Math.max(0, Math.min(1, support - 0.25 * violations.length));
  return {
    score: Math.round(score * 100) / 100,
    unsupported: unsupported.filter((token) => !unquotedUnits.includes(token)).map((token) => token.text),
    contextOnly: contextOnly.map((token) => token.text),
    violations,
  };
}

/** 0..1, how much of the statement its quotes support; for calibrating the auto-approve threshold. */
export function faithfulnessScore(statement: string, quotes: readonly (string | SourceQuote)[], contexts: readonly string[] = []): number {
  return assessFaithfulness(statement, quotes, contexts).score;
}

/** Words from nowhere a rewrite may add (a linking noun, an adverb) before the statement reads as invented. */
const TOLERATED_UNSUPPORTED = 1;

/** unfaithful: the statement says something its quotes do not. */
export function checkFaithfulness(statement: string, quotes: readonly SourceQuote[], sourceTexts: ReadonlyMap<string, string>): QualityFlag | null {
  if (quotes.length === 0) return null; // no quote is the grounding check's finding, not this one's
  const report = assessFaithfulness(statement, quotes, quoteContexts(quotes, sourceTexts));
  const invented = report.unsupported.length > TOLERATED_UNSUPPORTED ? report.unsupported : [];
  if (report.violations.length === 0 && invented.length === 0) return null;
  const reasons = [
    ...(invented.length > 0 ? [`${quoteList(invented)} ${invented.length > 1 ? "are" : "is"} not in the quote`] : []),
    ...report.violations.map((violation) => violation.reason),
  ];
  return {
    code: "unfaithful",
    words: unique([...invented, ...report.violations.flatMap((violation) => violation.words)]),
    message: `The statement does not say what its quote says: ${reasons.join("; ")} (faithfulness ${report.score.toFixed(2)}). Compare it with the source before approving.`,
  };
}
