import nlp from "compromise";
import { PERSON_NOUNS } from "./lexicon";

/**
 * The one place that talks to compromise: words with their part-of-speech tags, lemmas and
 * positions in the source, plus the few inflections the phrasing rules need.
 */
export type Token = {
  text: string;
  lower: string;
  /** infinitive of a verb, singular of a noun, otherwise the lower-case word */
  root: string;
  tags: ReadonlySet<string>;
  /** position in the text it was read from (a source, or a statement): text.slice(start, end) === this.text */
  start: number;
  end: number;
  /** compromise splits "can't" and "cannot" into the modal and an empty "not"; it is folded in here */
  negated: boolean;
};

/** Whether a comma stands in `text` between two tokens read from it ("Big buttons, please": between "buttons" and "please"). */
export function commaBetween(text: string, left: Pick<Token, "end">, right: Pick<Token, "start">): boolean {
  return text.slice(left.end, right.start).includes(",");
}

type CompromiseTerm = { text: string; tags: string[]; root?: string; normal?: string; offset: { start: number; length: number } };
type CompromiseSentence = { terms: CompromiseTerm[] };

/** Sentences of `text` as tokens, with positions shifted by `offset` so they index the whole source. */
export function tokenizeSentences(text: string, offset = 0): Token[][] {
  // A line break inside a passage is reflow, not the end of a sentence; a space keeps every position.
  const doc = nlp(text.replace(/[\r\n]/g, " "));
  doc.compute("root");
  const sentences: CompromiseSentence[] = doc.json({ offset: true, terms: { normal: true } });
  return sentences.map((sentence) => withFixedNouns(withNounsTakenForVerbs(withPeopleAsSubject(toTokens(sentence.terms, offset))))).filter((tokens) => tokens.length > 0);
}

/** "pay as you go": words that together name one thing, whatever verbs and pronouns they are made of. */
const FIXED_NOUNS = [["pay", "as", "you", "go"]];

function withFixedNouns(tokens: Token[]): Token[] {
  for (const words of FIXED_NOUNS) {
    tokens.forEach((token, index) => {
      if (!words.every((word, offset) => tokens[index + offset]?.lower === word)) return;
      for (const part of tokens.slice(index, index + words.length)) {
        part.tags = new Set(["Noun", "Singular"]);
        part.root = part.lower;
      }
    });
  }
  return tokens;
}

/**
 * "rooms that members book themselves": compromise reads a plural of people after "that" as a verb
 * ("members" the verb). People named in the plural (or any plural whose singular is no verb), right
 * before a verb in its base form or a modal, are its subject; a plural that ends a compound before a
 * relative is a noun too, and so is the word it reads as an order before a plural and a modal
 * ("Voice notes would be amazing").
 */
function withNounsTakenForVerbs(tokens: Token[]): Token[] {
  const [first, second, third] = tokens;
  if (first?.tags.has("Imperative") && second?.tags.has("Noun") && second.tags.has("Plural") && third?.tags.has("Modal")) {
    first.tags = new Set(["Noun", "Singular"]);
    first.root = first.lower;
  }
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    // "the room screens that you can read", "Voice notes would be amazing": a plural after a noun that opens the
    // sentence or follows a determiner, before a relative or a modal, ends the noun phrase.
    const opensPhrase = index === 1 || (index > 1 && tokens[index - 2].tags.has("Determiner"));
    const compound = opensPhrase && tokens[index - 1].tags.has("Singular") && !tokens[index - 1].tags.has("Pronoun");
    const closes = ["that", "which", "who"].includes(next?.lower ?? "") || next?.tags.has("Modal") === true;
    if (compound && closes && token.tags.has("Verb") && token.tags.has("PresentTense") && token.lower.endsWith("s")) {
      token.tags = new Set(["Noun", "Plural"]);
      token.root = token.lower.slice(0, -1);
      return;
    }
    const singular = token.lower.endsWith("s") ? token.lower.slice(0, -1) : null;
    if (!singular || !(PERSON_NOUNS.has(singular) || !isVerbWord(singular)) || !token.tags.has("Verb") || token.tags.has("Infinitive") || !(next?.tags.has("Infinitive") || next?.tags.has("Modal"))) return;
    token.tags = new Set(["Noun", "Plural"]);
    token.root = singular;
  });
  return tokens;
}

/**
 * "Staff check items out ...": compromise reads a sentence opening with a word that can be a verb as
 * an order ("Staff" the verb, "check" a noun). When that word names people and the next one can be
 * a verb too, the people are the subject and the next word their verb.
 */
function withPeopleAsSubject(tokens: Token[]): Token[] {
  const [first, second, third] = tokens;
  if (!first?.tags.has("Imperative") || !PERSON_NOUNS.has(first.lower) || !second?.tags.has("Singular") || second.tags.has("Verb")) return tokens;
  if (!isVerbWord(second.lower) || !third || third.tags.has("Verb")) return tokens;
  first.tags = new Set(["Noun", "Plural"]);
  first.root = first.lower;
  second.tags = new Set(["Verb", "PresentTense", "Infinitive"]);
  second.root = second.lower;
  return tokens;
}

function toTokens(terms: CompromiseTerm[], offset: number): Token[] {
  const tokens: Token[] = [];
  for (const term of terms) {
    const previous = tokens.at(-1);
    if (term.text === "") {
      if (previous && term.tags.includes("Negative")) previous.negated = true;
      continue;
    }
    const lower = term.text.toLowerCase();
    const isVerb = term.tags.includes("Verb");
    tokens.push({
      text: term.text,
      lower,
      root: MISREAD_ROOTS.get(lower) ?? term.root?.toLowerCase() ?? (isVerb ? infinitiveOf(lower) : (term.normal ?? lower)),
      tags: new Set(term.tags),
      start: offset + term.offset.start,
      end: offset + term.offset.start + term.offset.length,
      negated: false,
    });
  }
  return tokens;
}

/** Participles whose root compromise gets wrong ("gone" -> "gine"). */
const MISREAD_ROOTS = new Map([
  ["gone", "go"],
  ["known", "know"],
]);

const infinitives = new Map<string, string>();

/** compromise leaves some verbs without a root ("were charged"); their infinitive, worked out alone. */
function infinitiveOf(verb: string): string {
  let infinitive = infinitives.get(verb);
  if (infinitive === undefined) {
    const doc = nlp(verb);
    doc.verbs().toInfinitive();
    infinitive = doc.text().toLowerCase() || verb;
    infinitives.set(verb, infinitive);
  }
  return infinitive;
}

const standaloneVerbs = new Map<string, boolean>();

/** "booking", "picking": the tagger may call a gerund after its subject a noun; a verb with "-ing" is one. */
export const isGerund = (token: Token) => token.tags.has("Gerund") || (token.tags.has("Noun") && verbOfGerund(token.lower) !== null);

/** "booking" -> "book", "making" -> "make", "running" -> "run"; null for a word that is no verb's "-ing". */
export function verbOfGerund(word: string): string | null {
  if (!/^[a-z]{3,}ing$/.test(word)) return null;
  const stem = word.slice(0, -3);
  return [stem, `${stem}e`, stem.slice(0, -1)].find((verb) => verb.length > 1 && isVerbWord(verb)) ?? null;
}

/** Whether compromise reads the word as a verb when it stands alone ("show" yes, "page" no). */
export function isVerbWord(word: string): boolean {
  const lower = word.toLowerCase();
  let verb = standaloneVerbs.get(lower);
  if (verb === undefined) {
    verb = nlp(lower).has("#Verb");
    standaloneVerbs.set(lower, verb);
  }
  return verb;
}

const infinitiveWords = new Map<string, boolean>();

/**
 * Whether the word can be a verb's base form, read after "to" ("to close" yes, "to page" no):
 * alone, compromise reads "close" as an adjective, and in a question it tags poorly.
 */
export function isInfinitiveWord(word: string): boolean {
  const lower = word.toLowerCase();
  let infinitive = infinitiveWords.get(lower);
  if (infinitive === undefined) {
    // "sailing", "booked": a gerund or a past form is no base form, though compromise may read either as a verb
    const inflected = /.{3}ing$/.test(lower) || (/.{2}ed$/.test(lower) && !/eed$/.test(lower));
    infinitive = !inflected && (isVerbWord(lower) || nlp(`to ${lower}`).has("to #Verb"));
    infinitiveWords.set(lower, infinitive);
  }
  return infinitive;
}

export type VerbForms = { infinitive: string; presentTense: string; pastTense: string; gerund: string; participle: string };
const conjugations = new Map<string, VerbForms>();

/** The forms of a verb given its infinitive, e.g. send -> sends, sent, sending. */
export function verbForms(infinitive: string): VerbForms {
  let forms = conjugations.get(infinitive);
  if (!forms) {
    const doc = nlp(infinitive);
    doc.tag("Infinitive");
    const conjugated: Partial<Record<string, string>> = doc.verbs().conjugate()[0] ?? {};
    forms = {
      infinitive,
      presentTense: conjugated.PresentTense ?? infinitive,
      pastTense: conjugated.PastTense ?? infinitive,
      gerund: conjugated.Gerund ?? infinitive,
      // compromise names the participle only where it differs from the past tense ("seen", not "saw")
      participle: conjugated.Participle ?? conjugated.PastTense ?? infinitive,
    };
    conjugations.set(infinitive, forms);
  }
  return forms;
}

/** "riders were charged because the dock did not register" -> "riders are charged because the dock does not register" */
export function toPresentTense(text: string): string {
  const doc = nlp(text);
  if (!doc.has("#PastTense")) return text;
  doc.verbs().toPresentTense();
  const present = doc.text();
  // compromise capitalises a sentence it rewrote; keep the original case of the first letter.
  const startsLower = text.charAt(0) !== text.charAt(0).toUpperCase();
  return startsLower ? present.charAt(0).toLowerCase() + present.slice(1) : present;
}

const UNCOUNTABLE = new Set(["staff", "personnel", "police", "people"]);

export function pluralNoun(noun: string): string {
  if (UNCOUNTABLE.has(noun)) return noun;
  const doc = nlp(noun);
  doc.tag("Noun"); // alone, "patient" reads as an adjective
  doc.nouns().toPlural();
  return doc.text() || noun;
}

/** A word of a noun phrase naming a thing: a noun, adjective, determiner or figure, never a pronoun. */
export const isNounPhraseWord = (token: Token) => ["Noun", "Adjective", "Determiner", "Value"].some((tag) => token.tags.has(tag)) && !token.tags.has("Pronoun");

/** Words without a verb of their own: "Per sailing, automatically", "Sign-off by whom" (a hyphenated verb names a thing). */
export function isVerbless(tokens: readonly Token[]): boolean {
  return !tokens.some((token) => token.tags.has("Verb") && !["Gerund", "Participle", "Hyphenated"].some((tag) => token.tags.has(tag)));
}
