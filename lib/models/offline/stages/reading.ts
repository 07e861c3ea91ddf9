import type { UpstreamRequirement, UpstreamStory } from "@/lib/kinds/draft-parts";
import { pluralNoun, tokenizeSentences, verbForms, type Token } from "../nlp";
import { isPersonWord, lowerFirst, renderWords } from "../phrase";

/**
 * What the later stages' drafters read out of approved stories and requirements: the action a
 * story asks for (its verb, the thing it acts on, how), the entities named, and the figures a
 * requirement fixes. Everything comes from the upstream words; nothing is assumed about a domain.
 */

/** Nouns that name the product itself rather than something in its domain. */
const PRODUCT_NOUNS = new Set(["app", "system", "application", "service", "platform", "portal", "tool", "website", "site", "software", "product", "number", "time", "way", "thing", "part"]);

export type StoryAction = {
  /** "unlock" */
  verb: string;
  /** "unlock a bike by scanning the QR code": the verb and what follows it, up to a time or "so" clause */
  phrase: string;
  /** "bike": the head noun of what the verb acts on, singular; null when the goal names none */
  entity: string | null;
  /** "a bike", "a broken bike" */
  object: string | null;
  /** "photo", "QR code": what comes with the action ("with a photo", "by scanning the QR code") */
  inputs: string[];
  /** "the app" in "the app to show ..."; null when the role acts */
  subject: string | null;
  /** "every refund above 20 euros to be approved": the goal is about a state, not an action */
  passive: boolean;
};

const INPUT_MARKERS = new Set(["with", "by", "using", "via", "from"]);
const STOP_MARKERS = new Set(["when", "if", "after", "before", "within", "so", "because", "until", "for", "even", "on", "in", "without"]);

const isEntityNoun = (token: Token) =>
  token.tags.has("Noun") && !token.tags.has("Pronoun") && !token.tags.has("Possessive") && !token.tags.has("Gerund") && !token.tags.has("Value") && !token.tags.has("Date") && !PRODUCT_NOUNS.has(token.root);

const singular = (token: Token) => (token.tags.has("Plural") ? token.root : token.lower).replace(/[^a-z0-9-]/g, "");

/** "payment data", "push notification": the head noun with the nouns right before it. */
function compoundOf(words: readonly Token[], head: Token): string {
  let start = words.indexOf(head);
  while (start > 0 && isEntityNoun(words[start - 1])) start--;
  return [...words.slice(start, words.indexOf(head)).map((word) => word.lower), singular(head)].join(" ");
}

/** The noun phrase starting at `start`: determiners and adjectives up to its head noun (compound nouns joined). */
function nounPhraseAt(tokens: Token[], start: number): { head: Token; words: Token[] } | null {
  const words: Token[] = [];
  for (let index = start; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.tags.has("Preposition") || token.lower === "and" || token.lower === "or" || (token.tags.has("Verb") && !token.tags.has("Noun") && !token.tags.has("Adjective"))) break;
    words.push(token);
    const next = tokens[index + 1];
    if (isEntityNoun(token) && !(next && isEntityNoun(next))) return { head: token, words };
  }
  return null;
}

/** What a verb acts on: right after it, after a preposition ("apply for a permit"), or after a second verb ("create and edit lists"). */
function objectAfter(tokens: Token[], verbAt: number): { head: Token; words: Token[] } | null {
  let start = verbAt + 1;
  if (tokens[start]?.tags.has("Preposition") || ["and", "or"].includes(tokens[start]?.lower ?? "")) start++;
  if (tokens[start - 1]?.lower === "and" || tokens[start - 1]?.lower === "or") start++;
  return nounPhraseAt(tokens, verbAt + 1) ?? nounPhraseAt(tokens, start);
}

/** Parsing is the costly part and every stage reads the same goals again: results are kept, up to a bound. */
const MAX_CACHED = 5000;
function cached<Result>(cache: Map<string, Result>, key: string, compute: (key: string) => Result): Result {
  let result = cache.get(key);
  if (result === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    result = compute(key);
    cache.set(key, result);
  }
  return result;
}
const goals = new Map<string, StoryAction>();
const keySets = new Map<string, ReadonlySet<string>>();

export function readGoal(goal: string): StoryAction {
  return cached(goals, goal, parseGoal);
}

function parseGoal(goal: string): StoryAction {
  const tokens = tokenizeSentences(goal).flat();
  const to = tokens.findIndex((token) => token.lower === "to");
  const verbAt = tokens.findIndex((token, index) => index > to && token.tags.has("Verb") && token.lower !== "be" && token.lower !== "able" && token.lower !== "never" && token.lower !== "not");
  const subjectWords = (to > 0 ? tokens.slice(0, to) : []).filter((token) => token.lower !== "not");
  const subject = subjectWords.length > 0 ? renderWords(goal, subjectWords) : null;
  const passive = tokens[verbAt - 1]?.lower === "be";
  const subjectEntity = subjectWords.find((token) => isEntityNoun(token) && !isPersonWord(token));
  const subjectPhrase = subjectEntity ? nounPhraseAt(subjectWords, subjectWords.indexOf(subjectEntity)) : null;
  if (verbAt < 0) {
    // "the catalogue to be searchable": a property of the subject
    const entity = subjectPhrase ? compoundOf(subjectPhrase.words, subjectPhrase.head) : null;
    return { verb: "handle", phrase: goal.replace(/^to\s+/, ""), entity, object: null, inputs: [], subject, passive };
  }
  const verb = tokens[verbAt].root;
  const after = tokens.slice(verbAt + 1);
  const stop = after.findIndex((token, index) => index > 0 && (STOP_MARKERS.has(token.lower) || goal.slice(after[index - 1].end, token.start).includes(",")));
  const phraseTokens = [tokens[verbAt], ...(stop < 0 ? after : after.slice(0, stop))];
  const own = passive ? nounPhraseAt(subjectWords, 0) : objectAfter(tokens, verbAt);
  const entityPhrase = own ?? subjectPhrase;
  const inputs: string[] = [];
  tokens.forEach((token, index) => {
    if (index <= verbAt || !INPUT_MARKERS.has(token.lower)) return;
    let next = index + 1;
    while (tokens[next]?.tags.has("Verb") && !tokens[next].tags.has("Noun")) next++; // "by scanning the QR code"
    const found = nounPhraseAt(tokens, next);
    if (found && !isPersonWord(found.head)) inputs.push(renderWords(goal, found.words.filter((word) => !word.tags.has("Determiner"))));
  });
  return {
    verb,
    phrase: renderWords(goal, phraseTokens),
    entity: entityPhrase ? compoundOf(entityPhrase.words, entityPhrase.head) : null,
    object: own ? renderWords(goal, own.words) : null,
    inputs: [...new Set(inputs)],
    subject: subject ? lowerFirst(subject) : null,
    passive,
  };
}

/** Content nouns of a text, singular: what two artifacts must share to be about the same thing. */
export function entityKeys(text: string): ReadonlySet<string> {
  return cached(keySets, text, parseEntityKeys);
}

function parseEntityKeys(text: string): ReadonlySet<string> {
  return new Set(tokenizeSentences(text).flat().filter((token) => isEntityNoun(token) && !isPersonWord(token)).map(singular).filter((word) => word.length > 2));
}

export const storyText = (story: UpstreamStory) =>
  [story.goal, story.benefit, ...story.acceptanceCriteria.flatMap((criterion) => [criterion.given, criterion.when, criterion.then])].join(". ");

// ---------------------------------------------------------------------------------------------
// Figures: "within 5 seconds", "99.5%", "5,000 concurrent riders", "above 20 euros".

export type Bound = "at_most" | "at_least" | "above" | "below" | "exactly";
export type Figure = { text: string; value: number; unit: string; bound: Bound };

const BOUND_WORDS: [RegExp, Bound][] = [
  [/^(?:within|up to|at most|no more than|max(?:imum)?|in under)$/, "at_most"],
  [/^(?:under|below|less than|fewer than)$/, "below"],
  [/^(?:above|over|more than|exceeding|after)$/, "above"],
  [/^for$/, "at_most"],
  [/^(?:at least|min(?:imum)?|handles?|supports?)$/, "at_least"],
];
const FIGURE = /(?:\b(within|up to|at most|no more than|in under|under|below|less than|fewer than|above|over|more than|exceeding|at least|handles?|supports?|after|for)\s+)?(?<![\d:.])(\d[\d,]*(?:\.\d+)?)(?![\d:])\s*(%|[a-zA-Z€$£]+)?/g;
const NOT_UNITS = new Set(["and", "or", "per", "of", "to", "the", "a", "on", "in", "at", "for", "or newer", "newer", "older"]);

export function figuresOf(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, word, number, written = ""] = match;
    // a version ("iOS 16", "Android 11") is not a target
    if (!word && /(?:ios|android|version|v)$/i.test(text.slice(0, match.index).trimEnd())) continue;
    const unit = NOT_UNITS.has(written.toLowerCase()) ? "" : written;
    const bound = BOUND_WORDS.find(([pattern]) => word && pattern.test(word.toLowerCase()))?.[1] ?? "exactly";
    figures.push({ text: (unit ? whole : whole.slice(0, whole.lastIndexOf(number) + number.length)).trim(), value: Number(number.replace(/,/g, "")), unit: unit.toLowerCase(), bound });
  }
  return figures;
}

/** The first figure with a time unit, in seconds: what a latency alert or test measures. */
export function durationSeconds(figure: Figure): number | null {
  const unit = figure.unit.replace(/s$/, "");
  const scale: Record<string, number> = { ms: 0.001, millisecond: 0.001, second: 1, sec: 1, s: 1, minute: 60, min: 60, hour: 3600, day: 86400, week: 604800, month: 2_592_000 };
  return unit in scale ? figure.value * scale[unit] : null;
}

export const isPercent = (figure: Figure) => figure.unit === "%";

// ---------------------------------------------------------------------------------------------
// Tracing helpers.

/** The requirements a story was drafted from, by the refs it records. */
export function requirementsOf(story: UpstreamStory, requirements: readonly UpstreamRequirement[]): UpstreamRequirement[] {
  return requirements.filter((requirement) => story.requirementRefs.includes(requirement.ref));
}

export function storyIdsByRequirement(stories: readonly UpstreamStory[], requirements: readonly UpstreamRequirement[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const story of stories) {
    for (const requirement of requirementsOf(story, requirements)) map.set(requirement.id, [...(map.get(requirement.id) ?? []), story.id]);
  }
  return map;
}

export const uniqueIds = (ids: readonly string[]) => [...new Set(ids)];

/** "bike" -> "Bike", "qr code" -> "QrCode" */
export const pascal = (words: string) => words.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join("");
export const camel = (words: string) => {
  const name = pascal(words);
  return name.charAt(0).toLowerCase() + name.slice(1);
};
/** "bike" -> "bikes"; "payment data" stays: a mass noun has no plural. */
export const plural = (noun: string) => (/(?:data|information|equipment|evidence|software|feedback)$/.test(noun) ? noun : pluralNoun(noun));
export const pastParticiple = (verb: string) => verbForms(verb).participle;

/** "REQ-2, REQ-7" */
export const refList = (items: readonly { ref: string }[]) => items.map((item) => item.ref).join(", ");

/** Confidence from the reasons for doubt, as the requirements drafter does: each reason costs. */
export function confidenceOf(reasons: readonly string[]): { confidence: number; unsure: string | null } {
  const confidence = Math.max(0.3, 0.85 - 0.15 * reasons.length);
  return { confidence: Math.round(confidence * 100) / 100, unsure: reasons.length > 0 ? reasons.join("; ") : null };
}
