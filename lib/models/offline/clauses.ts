import { findComplaint, findModal, findWish, lowerAt } from "./cues";
import { FILLERS_ANYWHERE, FILLERS_INTERJECTIONS, FILLERS_OPENING, FILLERS_OPENING_CLAUSE, FILLERS_PARENTHETICAL } from "./lexicon";
import { tokenizeSentences, type Token } from "./nlp";
import type { Sentence } from "./segment";

/**
 * Splits a sentence into the clauses that can each carry a requirement: at semicolons, where the
 * speaker breaks off ("after... actually"), and at "and"/"but" or a dash when what follows has
 * its own modal, wish or complaint ("Patient data must stay in our region and every access must
 * be logged" is two requirements). A clause's words leave out spoken fillers ("um", "actually",
 * ", you know,"), so statements are built from what was said, while its span still quotes it all.
 */
export type Clause = {
  sentence: Sentence;
  /** the clause's words without fillers */
  tokens: Token[];
  /** span in the source; the first and last clause include the sentence's quotes and punctuation */
  start: number;
  end: number;
  /** the subject of the clause before, when this one goes on without its own: "... cannot use the phone and needs a way to book" */
  sharedSubject: Token[];
};

type Range = { from: number; to: number; sharedSubject: Token[] };

const COORDINATORS = new Set(["and", "but"]);

export function splitClauses(sentence: Sentence): Clause[] {
  const text = sentence.block.source.text;
  const { tokens } = sentence;
  // An item of a requirements list is one requirement as its author wrote it, "and" and all.
  if (sentence.block.authored) return [{ sentence, tokens: withoutFillers(text, tokens), start: sentence.start, end: sentence.end, sharedSubject: [] }];
  const completed = completedAfterAside(text, tokens);
  if (completed) return [{ sentence, tokens: withoutFillers(text, completed), start: sentence.start, end: sentence.end, sharedSubject: [] }];
  const ranges: Range[] = [];
  let current: Range = { from: 0, to: tokens.length, sharedSubject: [] };
  const cut = (to: number, nextFrom: number, sharedSubject: Token[]) => {
    ranges.push({ ...current, to });
    current = { from: nextFrom, to: tokens.length, sharedSubject };
  };

  for (let index = 1; index < tokens.length; index++) {
    const gap = text.slice(tokens[index - 1].end, tokens[index].start);
    if (HARD_BREAK.test(gap)) {
      cut(index, index, []);
      continue;
    }
    const dash = DASH.test(gap);
    const splice = !dash && gap.includes(",") && startsClause(tokens, index);
    if (!dash && !splice && !COORDINATORS.has(tokens[index].lower)) continue;
    const from = COORDINATORS.has(tokens[index].lower) ? index + 1 : index;
    const left = tokens.slice(current.from, index);
    const right = tokens.slice(from, nextClauseAfter(text, tokens, index));
    if (!left.some(isVerb) || !hasOwnCue(right)) continue;
    if (splice && !isLeadingClause(withoutFillers(text, left))) continue;
    cut(index, from, isVerb(right[0]) ? subjectOf(left) : []);
  }
  ranges.push(current);

  return ranges.map(({ from, to, sharedSubject }) => {
    const start = from === 0 ? sentence.start : tokens[from].start;
    const end = to === tokens.length ? sentence.end : tokens[to - 1].end;
    // compromise tags a clause after a semicolon better on its own: "show first names" is then a verb.
    const afterBreak = from > 0 && HARD_BREAK.test(text.slice(tokens[from - 1].end, tokens[from].start));
    const clauseTokens = afterBreak ? tokenizeSentences(text.slice(start, end), start).flat() : tokens.slice(from, to);
    return { sentence, tokens: withoutFillers(text, clauseTokens), start, end, sharedSubject };
  });
}

/** Words a speaker may stop after, to finish the thought after an aside: "kept for, I'll check, I think it's eight years". */
const OPEN_ENDED = new Set(["for", "until", "within", "by", "after", "before", "about", "every"]);
/** An aside is at most this many words long. */
const MAX_ASIDE_WORDS = 8;

/**
 * "And they have to be kept for, I'll check, I think it's eight years for adults": a speaker breaks
 * off after a preposition, says something aside, and finishes with "it's" and what the preposition
 * wanted (a figure, a date, "the ..."). The clause is read as finished ("... kept for eight years for adults"); the quote keeps
 * the aside, and its hedge ("I think") still marks the draft as unsure. Null when the sentence has no such aside.
 */
function completedAfterAside(text: string, tokens: readonly Token[]): Token[] | null {
  const commaAfter = (index: number) => text.slice(tokens[index].end, tokens[index + 1]?.start ?? tokens[index].end).includes(",");
  for (let stop = 1; stop < tokens.length - 2; stop++) {
    if (!OPEN_ENDED.has(tokens[stop].lower) || !commaAfter(stop) || !tokens.slice(0, stop).some(isVerb)) continue;
    for (let resume = stop + 2; resume <= Math.min(stop + MAX_ASIDE_WORDS, tokens.length - 2); resume++) {
      const word = tokens[resume].lower.replace(/’/g, "'");
      const length = word === "it's" || word === "that's" ? 1 : (word === "it" || word === "that") && lowerAt(tokens as Token[], resume + 1) === "is" ? 2 : 0;
      const wanted = tokens[resume + length];
      if (length > 0 && wanted && ["Value", "Date", "Duration", "Determiner"].some((tag) => wanted.tags.has(tag))) return [...tokens.slice(0, stop + 1), ...tokens.slice(resume + length)];
    }
  }
  return null;
}

const SUBORDINATE_OPENERS = new Set(["when", "whenever", "if", "once", "after", "before", "while", "unless", "during", "as", "because", "since", "although", "though"]);
const TIME_OPENERS = ["every time", "each time", "any time", "the moment", "as soon as", "now that", "in case", "the first time", "the next time"].map((phrase) => phrase.split(" "));
const SPLICE_OPENERS = new Set(["so", "and", "but", "then", "also"]);

/**
 * Whether the words before a comma are a clause of their own: a subject and its verb, not a
 * leading condition ("When the bike is docked, the app must ...") nor a lone "Right,".
 */
function isLeadingClause(left: Token[]): boolean {
  const words = left.filter((token, index) => index > 0 || !SPLICE_OPENERS.has(token.lower));
  if (words.length === 0 || SUBORDINATE_OPENERS.has(words[0].lower)) return false;
  // "Every time someone opens a result, it ...", "As soon as ...": adverbial, like "when".
  if (TIME_OPENERS.some((opener) => opener.every((word, offset) => lowerAt(words, offset) === word))) return false;
  return words.some((token, index) => index > 0 && isVerb(token));
}

/**
 * Whether a new clause with its own subject starts at `index`, after a comma: "Within 24 hours is
 * fine, the stock level must update ..."; "every week, so they need ...". A list ("title, author")
 * has no verb of its own after its subject.
 */
function startsClause(tokens: Token[], index: number): boolean {
  let at = index;
  const opener = SPLICE_OPENERS.has(lowerAt(tokens, at));
  if (opener) at++;
  // "..., so only the medical officer and the team leader should read it": who alone may act opens a clause too, and may be two
  // (", only that the person is sick" without an opener is what someone may see).
  const only = opener && lowerAt(tokens, at) === "only";
  if (only) at++;
  const first = tokens[at];
  if (!first || !["Pronoun", "Determiner", "Noun", "Adjective"].some((tag) => first.tags.has(tag)) || first.tags.has("QuestionWord")) return false;
  const verb = tokens.findIndex((token, position) => position > at && position <= at + (only ? 8 : 6) && isVerb(token));
  return verb > at;
}

// A semicolon, or a speaker breaking off and starting again: "after... actually", "after… actually".
const HARD_BREAK = /;|\.\.\.|…/;
// A spaced dash between two clauses: "the label is printed by hand – it has to be automatic".
const DASH = /\s(?:[—–]|--?)\s/;

// "and I guess it should ...": a filler after a connector still opens the clause.
const OPENING_CONNECTORS = new Set(["and", "but", "or", "also", "plus", "although", "though"]);

/** The words without spoken fillers: "Well, basically, parents need ..." -> "parents need ...". */
export function withoutFillers(text: string, tokens: readonly Token[]): Token[] {
  const kept: Token[] = [];
  let index = 0;
  while (index < tokens.length) {
    const length = fillerAt(text, tokens, index, kept.every((token) => OPENING_CONNECTORS.has(token.lower)));
    if (length > 0) index += length;
    else kept.push(tokens[index++]);
  }
  return kept;
}

/** How many words of a filler start at `index`; 0 if none does. */
function fillerAt(text: string, tokens: readonly Token[], index: number, atStart: boolean): number {
  const gapBefore = index === 0 ? "" : text.slice(tokens[index - 1].end, tokens[index].start);
  const setOffBefore = atStart || /[,;:(—–]/.test(gapBefore);
  const setOffAfter = (length: number) => index + length >= tokens.length || /[,;:.!?)—–]/.test(text.slice(tokens[index + length - 1].end, tokens[index + length].start));
  const anywhere = matchAt(tokens, index, FILLERS_ANYWHERE);
  if (anywhere > 0) return anywhere;
  if (atStart) {
    const opening = matchAt(tokens, index, FILLERS_OPENING_CLAUSE);
    // "I think that the app ...": the "that" goes with the filler
    if (opening > 0 && index + opening < tokens.length) return opening + (tokens[index + opening].lower === "that" ? 1 : 0);
    const interjection = matchAt(tokens, index, FILLERS_INTERJECTIONS);
    if (interjection > 0 && index + interjection < tokens.length) return interjection;
    const opener = matchAt(tokens, index, FILLERS_OPENING);
    if (opener > 0 && index + opener < tokens.length && setOffAfter(opener)) return opener;
  }
  const aside = matchAt(tokens, index, FILLERS_PARENTHETICAL);
  return aside > 0 && setOffBefore && setOffAfter(aside) ? aside : 0;
}

/** The length of the longest phrase that starts at `index`, in words; 0 if none does. */
export function matchAt(tokens: readonly Token[], index: number, phrases: readonly string[]): number {
  let longest = 0;
  for (const phrase of phrases) {
    const words = phrase.split(" ");
    if (words.length > longest && words.every((word, offset) => tokens[index + offset]?.lower.replace(/’/g, "'") === word)) longest = words.length;
  }
  return longest;
}

export function clauseText(clause: Clause): string {
  return clause.sentence.block.source.text.slice(clause.start, clause.end);
}

// "the under-eighteens", "the kick-off": a hyphenated word names a thing, whatever its parts are tagged.
const isVerb = (token: Token | undefined) => token !== undefined && token.tags.has("Verb") && !token.tags.has("Hyphenated");

function hasOwnCue(tokens: Token[]): boolean {
  return findModal(tokens) !== null || findWish(tokens) !== null || findComplaint(tokens) !== null || isRestriction(tokens);
}

/** "only the loading master approves them": who alone may act is a requirement of its own. */
function isRestriction(tokens: Token[]): boolean {
  const verb = tokens.findIndex((token, index) => index > 1 && isVerb(token));
  return lowerAt(tokens, 0) === "only" && verb > 1 && tokens.slice(1, verb).every((token) => ["Determiner", "Noun", "Adjective"].some((tag) => token.tags.has(tag)));
}

/**
 * Where the words after `from` stop belonging to one clause: a semicolon, or ", and" / ", but"
 * ("picks the pitch and kick-off time, and the system should stop them": the "should" is the next
 * clause's, so "kick-off time" is no clause of its own).
 */
function nextClauseAfter(text: string, tokens: Token[], from: number): number {
  for (let index = from + 1; index < tokens.length; index++) {
    const gap = text.slice(tokens[index - 1].end, tokens[index].start);
    if (gap.includes(";") || (gap.includes(",") && COORDINATORS.has(tokens[index].lower))) return index;
  }
  return tokens.length;
}

/** The words before the clause's first verb: "a patient who is deaf cannot ..." -> "a patient who is deaf". */
export function subjectOf(tokens: Token[]): Token[] {
  const modal = findModal(tokens);
  if (modal) return tokens.slice(0, modal.index);
  const relative = tokens.findIndex((token) => ["who", "that", "which"].includes(token.lower));
  const verb = tokens.findIndex((token, index) => isVerb(token) && (relative < 0 || index > relative + 2));
  return verb > 0 ? tokens.slice(0, verb) : [];
}
