import { CURRENT_STATE_MARKERS, LIVE_STATE_VERBS } from "./lexicon";
import type { Token } from "./nlp";

/**
 * The words that make a clause requirement-bearing — modal verbs, wishes, complaints — found
 * by their position among a clause's tokens. Pure pattern matching; phrasing happens elsewhere.
 */
export type Strength = "firm" | "should" | "soft";

export type ModalCue = {
  /** index of the modal's first word, e.g. "have" in "have to" */
  index: number;
  /** index of the first word of the verb phrase it governs */
  verbIndex: number;
  strength: Strength;
  negative: boolean;
  /** "must be able to": an ability rather than an obligation */
  ability: boolean;
};

export type WishCue = {
  index: number;
  /** "want to book" | "want patients to cancel" | "need a reminder SMS" */
  shape: "to_verb" | "actor_to_verb" | "object";
  /** for actor_to_verb: the actor's tokens */
  actor: Token[];
  /** the verb (to_verb, actor_to_verb) or the object (object) */
  restIndex: number;
  negative: boolean;
};

const FIRM = new Set(["must", "shall", "mustn't", "shan't"]);
const SHOULD = new Set(["should", "shouldn't"]);
// "could" proposes ("we could show a map"); "might" only guesses ("the bell might go", "we might take on two more").
const SOFT = new Set(["could"]);
const BE = new Set(["is", "are", "be", "was", "were"]);
const WAY_NOUNS = new Set(["way", "option", "ability", "possibility", "means", "chance"]);
// "I'd like a text", "we'd love a map of the depot": after "would", a wish.
const WOULD_WISH_VERBS = new Set(["like", "love"]);
// Subjects that make a permission a prohibition: "nobody may", "nothing can".
const NEGATIVE_SUBJECTS = new Set(["nobody", "nothing", "none", "noone"]);
const HAVE_BEFORE_GOT = /^(?:have|has|had|.+'ve|.+'s|.+’ve|.+’s)$/;

export const lowerAt = (tokens: readonly Token[], index: number) => tokens[index]?.lower ?? "";
const isNegated = (tokens: Token[], index: number) => tokens[index]?.negated === true || lowerAt(tokens, index + 1) === "not";

/** must, shall, should, have to, need to, cannot, is required to, could — the first one in the clause. */
export function findModal(tokens: Token[]): ModalCue | null {
  for (let index = 0; index < tokens.length; index++) {
    const modal = modalAt(tokens, index);
    if (!modal) continue;
    // "The app has got to work": "has" belongs to the modal, not to the subject.
    if (tokens[index].lower === "got" && ["have", "has", "had"].includes(lowerAt(tokens, index - 1))) index--;
    let { verbIndex } = modal;
    let negative = tokens[index].negated || tokens[index].lower.endsWith("n't") || tokens[index].lower === "cannot";
    if (lowerAt(tokens, verbIndex) === "not") {
      negative = true;
      verbIndex++;
    }
    if (lowerAt(tokens, verbIndex) === "never") negative = true;
    // "Only librarians may waive a fee", "Nobody else can issue a permit": a permission is an ability; "may ever be deleted" is not.
    const permits = ["may", "can"].includes(tokens[index].lower) && !negative;
    const passive = tokens.slice(verbIndex, verbIndex + 2).some((token) => token.lower === "be");
    const permission = permits && !passive;
    if (permits && passive) return { index, verbIndex, strength: modal.strength, negative, ability: false };
    const ability = permission || ["be", "able", "to"].every((word, offset) => lowerAt(tokens, verbIndex + offset) === word);
    if (permission) return { index, verbIndex, strength: modal.strength, negative, ability };
    return { index, verbIndex: ability ? verbIndex + 3 : verbIndex, strength: modal.strength, negative, ability };
  }
  return null;
}

const PAST_MODALS = new Set(["must", "could", "should", "might", "would", "may"]);

function modalAt(tokens: Token[], index: number): { strength: Strength; verbIndex: number } | null {
  const word = tokens[index].lower;
  const next = lowerAt(tokens, index + 1);
  // "that must have been painful" guesses at what happened, "we could have told them", "we should have sent a text" look
  // back at what did not: none asks for anything.
  if (PAST_MODALS.has(word) && next === "have" && tokens[index + 2]?.tags.has("PastTense")) return null;
  if (FIRM.has(word)) return { strength: "firm", verbIndex: index + 1 };
  // spoken obligation: "it's gotta show", "you've got to see", "it has got to be"
  if (word === "gotta" && isVerbAfterTo(tokens, index + 1)) return { strength: "firm", verbIndex: index + 1 };
  if (word === "got" && next === "to" && HAVE_BEFORE_GOT.test(lowerAt(tokens, index - 1)) && isVerbAfterTo(tokens, index + 2)) {
    return { strength: "firm", verbIndex: index + 2 };
  }
  // "may" grants a permission only when it limits who ("only managers may", "nobody may") or forbids ("may not"); "it may rain" is a guess.
  // The same holds for "can" after "nobody" or "nothing": "Nobody else can issue a permit" is a rule.
  const limited = lowerAt(tokens, 0) === "no" || tokens.slice(0, index).some((token) => token.lower === "only" || NEGATIVE_SUBJECTS.has(token.lower));
  if (word === "may" && (isNegated(tokens, index) || limited)) return { strength: "firm", verbIndex: index + 1 };
  if (word === "can" && !isNegated(tokens, index) && tokens.slice(0, index).some((token) => NEGATIVE_SUBJECTS.has(token.lower))) {
    return { strength: "firm", verbIndex: index + 1 };
  }
  if (SHOULD.has(word)) return { strength: "should", verbIndex: index + 1 };
  // "we could not answer" tells what happened, not what is wanted
  if (SOFT.has(word)) return isNegated(tokens, index) ? null : { strength: "soft", verbIndex: index + 1 };
  if (word === "ought" && next === "to") return { strength: "should", verbIndex: index + 2 };
  // "we had to ring the mum from the car park" tells what happened once.
  if (["have", "has", "need", "needs"].includes(word) && next === "to" && isVerbAfterTo(tokens, index + 2)) return { strength: "firm", verbIndex: index + 2 };
  if (BE.has(word) && next === "required" && lowerAt(tokens, index + 2) === "to") return { strength: "firm", verbIndex: index + 3 };
  // "The plan is supposed to show the exits": what a thing is meant to do; "we're supposed to finish by four" is the speakers' own.
  if (BE.has(word) && next === "supposed" && lowerAt(tokens, index + 2) === "to" && !SPEAKERS.test(lowerAt(tokens, index - 1)) && isVerbAfterTo(tokens, index + 3)) {
    return { strength: "should", verbIndex: index + 3 };
  }
  if (word === "supposed" && next === "to" && CONTRACTED_BE.test(lowerAt(tokens, index - 1)) && !SPEAKERS.test(lowerAt(tokens, index - 1)) && isVerbAfterTo(tokens, index + 2)) {
    return { strength: "should", verbIndex: index + 2 };
  }
  // "A customer would be able to pick a slot": how the people in a meeting describe what the product lets others do.
  // "We'd be able to close earlier" is the speakers' own hope, and "if ..., it would" a guess.
  if (isWouldWord(word) && ["be", "able", "to"].every((expected, offset) => lowerAt(tokens, index + 1 + offset) === expected) && !SPEAKERS.test(word) && !SPEAKERS.test(lowerAt(tokens, index - 1)) && !tokens.slice(0, index).some((token) => token.lower === "if")) {
    return { strength: "should", verbIndex: index + 1 };
  }
  // "So ideally the caretakers would see their jobs on a tablet": a wish for how it should be, said as it would be.
  if (word === "would" && tokens.slice(0, index).some((token) => token.lower === "ideally") && !SPEAKERS.test(lowerAt(tokens, index - 1)) && tokens[index + 1]?.tags.has("Verb")) {
    return { strength: "soft", verbIndex: index + 1 };
  }
  if (word === "cannot" || word === "can't" || (word === "can" && isNegated(tokens, index))) return { strength: "firm", verbIndex: index + 1 };
  return null;
}

const PEOPLE_TALKING = new Set(["i", "we", "you"]);
// The people talking, alone or with a contracted verb: "we", "we're", "I'd", "you'd".
const SPEAKERS = /^(?:i|we|you)(?:['’](?:m|re|d))?$/;
const isWouldWord = (word: string) => word === "would" || /^[a-z]+['’]d$/.test(word);

// "it's", "they're": a subject with its "be" in one word.
const CONTRACTED_BE = /['’](?:s|re|m)$/;

function isVerbAfterTo(tokens: Token[], index: number): boolean {
  const token = tokens[index];
  return token !== undefined && (token.tags.has("Verb") || ["not", "never", "be"].includes(token.lower));
}

const INDEFINITE_THINGS = new Set(["everything", "anything", "something", "things", "stuff"]);

/** "last February", "two years ago", "yesterday": a time that has passed. */
function saysWhenInThePast(tokens: readonly Token[]): boolean {
  return tokens.some((token, index) => (token.lower === "last" && ["Date", "Duration", "Month"].some((tag) => tokens[index + 1]?.tags.has(tag))) || token.lower === "ago" || token.lower === "yesterday");
}

/** want, would like, need + object, need a way to — the first one in the clause. */
export function findWish(tokens: Token[]): WishCue | null {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    // "I'd expect the scanner to refuse ...": an expectation of what something does, never of the people talking.
    const expects = token.root === "expect" && wouldBefore(tokens, index);
    const wouldLike = WOULD_WISH_VERBS.has(token.lower) && wouldBefore(tokens, index);
    const wants = token.root === "want" || token.root === "wish" || wouldLike || expects;
    const needs = token.root === "need" && lowerAt(tokens, index + 1) !== "to";
    // "What we really need is an order form": compromise reads "need" there as a noun.
    // "What I'd really like is a waiting list" says the same with "would like".
    const wished = ["need", "want", "needs", "wants"].includes(token.lower) || wouldLike;
    const cleft = lowerAt(tokens, 0) === "what" && wished && BE.has(lowerAt(tokens, index + 1));
    if (cleft) return cleftWish(tokens, index);
    if (!(wants || needs) || !token.tags.has("Verb")) continue;
    // "After the crash last February the insurers wanted proof ...": what was wanted then is what happened.
    if (token.tags.has("PastTense") && saysWhenInThePast(tokens)) continue;
    // "do NOT want", "don't need", "never want"
    const negative = tokens.slice(Math.max(0, index - 2), index).some((word) => word.negated || word.lower === "not" || word.lower === "never");
    let rest = index + 1;
    if (lowerAt(tokens, rest) === "to") return { index, shape: "to_verb", actor: [], restIndex: rest + 1, negative };
    // "a way to book", "the option to cancel"
    const article = ["a", "an", "the", "some"].includes(lowerAt(tokens, rest)) ? 1 : 0;
    if (WAY_NOUNS.has(lowerAt(tokens, rest + article)) && lowerAt(tokens, rest + article + 1) === "to") {
      return { index, shape: "to_verb", actor: [], restIndex: rest + article + 2, negative };
    }
    // "want patients to cancel": a short noun phrase, then "to" and a verb
    const to = tokens.findIndex((candidate, at) => at > rest && at <= rest + 5 && candidate.lower === "to");
    const actor = to > rest ? tokens.slice(rest, to) : [];
    // "one list of everything to order from each grower": after an indefinite, "to" and a verb say what it is for; the list is the thing wanted.
    const purposeOfThing = INDEFINITE_THINGS.has(actor.at(-1)?.lower ?? "");
    if (actor.length > 0 && !purposeOfThing && actor.every((word) => !word.tags.has("Verb")) && isVerbAfterTo(tokens, to + 1)) {
      // "I'd expect that to come up again" expects nothing of a named thing.
      if (expects && !actor.some((word) => word.tags.has("Noun") && !word.tags.has("Pronoun"))) return null;
      return { index, shape: "actor_to_verb", actor, restIndex: to + 1, negative };
    }
    // "I wouldn't want students picking emergency": a short noun phrase, then what it would be doing.
    const doing = tokens.findIndex((candidate, at) => at > rest && at <= rest + 5 && candidate.tags.has("Gerund"));
    const doer = doing > rest ? tokens.slice(rest, doing) : [];
    const namesDoer = doer.some((word) => word.tags.has("Noun") && !word.tags.has("Pronoun")) && doer.every((word) => !word.tags.has("Verb") && !word.tags.has("Preposition"));
    if (!expects && namesDoer) return { index, shape: "actor_to_verb", actor: doer, restIndex: doing, negative };
    if (expects) return null;
    while (lowerAt(tokens, rest) === "not") rest++;
    return rest < tokens.length ? { index, shape: "object", actor: [], restIndex: rest, negative } : null;
  }
  return null;
}

/**
 * "What we need is an order form", "what I'd like is for patrons to choose their seats": what
 * follows the "is" is the wish. "What I'd like is for us to finish early" wishes something of the
 * people talking, which is no requirement.
 */
function cleftWish(tokens: Token[], index: number): WishCue | null {
  const rest = index + 2;
  if (lowerAt(tokens, rest) === "to") return { index, shape: "to_verb", actor: [], restIndex: rest + 1, negative: false };
  // "What I want is we finish by ten": a clause about the people talking, no thing to provide.
  // A clause after "that" is read where a clause is (readings.ts readMakeSure).
  if (PEOPLE_TALKING.has(lowerAt(tokens, rest)) || lowerAt(tokens, rest) === "that") return null;
  if (lowerAt(tokens, rest) !== "for") return { index, shape: "object", actor: [], restIndex: rest, negative: false };
  const to = tokens.findIndex((token, at) => at > rest + 1 && at <= rest + 5 && token.lower === "to");
  const actor = to > rest ? tokens.slice(rest + 1, to) : [];
  if (actor.length === 0 || actor.some((word) => word.tags.has("Pronoun") || word.tags.has("Verb")) || !isVerbAfterTo(tokens, to + 1)) return null;
  return { index, shape: "actor_to_verb", actor, restIndex: to + 1, negative: false };
}

/** "would like", "I'd like", "we would really like": the "would" may be contracted or one adverb away. */
function wouldBefore(tokens: Token[], index: number): boolean {
  const isWould = (at: number) => {
    const word = lowerAt(tokens, at).replace(/’/g, "'");
    return word === "would" || word.endsWith("'d");
  };
  return isWould(index - 1) || (tokens[index - 1]?.tags.has("Adverb") === true && isWould(index - 2));
}

/** The phrases that occur in `text` as whole words, e.g. "whatever is easier"; case and spacing do not matter. */
export function findPhrases(text: string, phrases: readonly string[]): string[] {
  const words = wordsOf(text);
  return phrases.filter((phrase) => words.includes(wordsOf(phrase)));
}

const LIVE_STATE = new RegExp(
  `(\\b(?:${LIVE_STATE_VERBS.join("|")})\\b[^.;:!?]*?\\b(?:which|who|what|where|whether)\\b[^.;:!?]*?)\\b(?:${CURRENT_STATE_MARKERS.join("|")})\\b`,
  "gi",
);

/**
 * Whether the text tells how things are today ("at the moment we phone round"). "See which
 * branches have a copy on the shelf right now" does not: there the marker closes the state the
 * product must show as it is at that moment.
 */
export function talksOfToday(text: string): boolean {
  return findPhrases(text.replace(LIVE_STATE, "$1"), CURRENT_STATE_MARKERS).length > 0;
}

/** The text's words, lower case, with every one of the phrases taken out: what findPhrases then finds is what is left. */
export function withoutPhrases(text: string, phrases: readonly string[]): string {
  return phrases.reduce((words, phrase) => words.replaceAll(wordsOf(phrase), " "), wordsOf(text));
}

/** " word word ": lower case, one space between words and at both ends, so a phrase matches only whole words. */
const wordsOf = (text: string) => ` ${text.toLowerCase().replace(/[’]/g, "'").replace(/[^\w'-]+/g, " ").trim()} `;

export type ComplaintCue =
  /** "searching takes forever", "the app is slow" */
  | { shape: "slow"; index: number }
  /** "the reminder came too late" */
  | { shape: "late"; index: number }
  /** "the receipt was never sent" (passive) or "the bike did not unlock" */
  | { shape: "not_done"; index: number; verbIndex: number; passive: boolean }
  /** "the app crashed when ..." */
  | { shape: "failure"; index: number }
  /** "I waited 20 minutes on the phone to book" */
  | { shape: "waited"; index: number; purposeIndex: number };

const SLOW_PHRASES = ["forever", "ages", "too long", "so long"];
const FAILURE_VERBS = new Set(["crash", "freeze", "fail", "hang", "break", "drop", "die"]);
// "does not" and "did not" report what a thing fails to do; "I don't know" is not a complaint.
const DOES = new Set(["does", "did", "doesn't", "didn't"]);
const PAST_BE = new Set(["was", "were"]);

/** Complaints a requirement can be read from; the first one in the clause. */
export function findComplaint(tokens: Token[]): ComplaintCue | null {
  for (let index = 1; index < tokens.length; index++) {
    const token = tokens[index];
    const next = lowerAt(tokens, index + 1);
    const afterNext = `${next} ${lowerAt(tokens, index + 2)}`;
    if (token.root === "take" && SLOW_PHRASES.some((phrase) => next === phrase || afterNext === phrase)) return { shape: "slow", index };
    if (BE.has(token.lower) && (next === "slow" || lowerAt(tokens, index + 2) === "slow")) return { shape: "slow", index };
    if (["come", "arrive", "be"].includes(token.root) && afterNext === "too late") return { shape: "late", index };
    const notDone = notDoneAt(tokens, index);
    if (notDone) return notDone;
    // "the app crashed", "it keeps crashing"; "by dropping the slip in" names how something is done, not a failure.
    const activity = token.tags.has("Gerund") && tokens[index - 1]?.tags.has("Preposition") === true;
    if (FAILURE_VERBS.has(token.root) && token.tags.has("Verb") && !token.tags.has("Infinitive") && !activity) return { shape: "failure", index };
    if (token.root === "wait" && token.tags.has("Verb")) {
      const purpose = tokens.findIndex((word, at) => at > index && word.lower === "to" && tokens[at + 1]?.tags.has("Verb"));
      // "I wait five minutes, I ring the office, and the office tries to ring them": the purpose of another verb is no wait's.
      const ownPurpose = purpose > index && !tokens.slice(index + 1, purpose).some((word) => word.tags.has("Verb") && !word.tags.has("Gerund"));
      if (ownPurpose) return { shape: "waited", index, purposeIndex: purpose + 1 };
    }
  }
  return null;
}

/** "the receipt was never sent", "the bike did not unlock", "the refund never arrived" — but "are never counted as free" is a rule. */
function notDoneAt(tokens: Token[], index: number): ComplaintCue | null {
  const word = tokens[index].lower;
  const next = lowerAt(tokens, index + 1);
  if (PAST_BE.has(word) && (next === "never" || next === "not") && tokens[index + 2]?.tags.has("PastTense")) {
    return { shape: "not_done", index, verbIndex: index + 2, passive: true };
  }
  const didNot = DOES.has(word) && isNegated(tokens, index);
  const neverDid = word === "never" && tokens[index + 1]?.tags.has("PastTense") && !BE.has(lowerAt(tokens, index - 1));
  if (!didNot && !neverDid) return null;
  const verbIndex = word === "never" || tokens[index].negated ? index + 1 : index + 2;
  return tokens[verbIndex]?.tags.has("Verb") ? { shape: "not_done", index, verbIndex, passive: false } : null;
}
