import { clauseText, matchAt, type Clause } from "./clauses";
import { findComplaint, findModal, findPhrases, findWish, lowerAt, talksOfToday, type ComplaintCue, type ModalCue, type Strength, type WishCue } from "./cues";
import {
  CHECKING_VERBS,
  COURTESY,
  DECISION_LABELS,
  DELIBERATION_VERBS,
  FILLERS_OPENING,
  MANUAL_WORK_MARKERS,
  MEETING_TALK,
  PARTIAL_QUANTIFIERS,
  MEETING_TIMES,
  MESSAGE_NOUNS,
  INSISTENCE_WORDS,
  MEETING_NOUNS,
  INTENTION_NOUNS,
  LIST_REQUEST_INTROS,
  NECESSITY_PHRASES,
  PERSONAL_ORDER_VERBS,
  ATTENTION_VERBS,
  NOTHING_AND_NOBODY,
  POINTING_BACK,
  REPORTED_SPEECH_VERBS,
  SETTLING_PHRASES,
  SMALL_TALK,
  SPEAKER_ONLY_VERBS,
  SUGGESTION_OPENERS,
  UNDECIDED_ANSWERS,
  WELCOMING_WORDS,
  WISH_LABELS,
} from "./lexicon";
import { commaBetween, isInfinitiveWord, isNounPhraseWord, isVerbWord, type Token } from "./nlp";
import { baseVerb, CONDITIONS, lowerFirst, renderWords } from "./phrase";
import { isQuestion, sentenceText, type Sentence } from "./segment";
import { asSystem, CONNECTORS, forPeople, plainSubject, readSubject, renderVoiced, SUBORDINATORS, voicedWords, withoutContraction, type Scope, type Subject } from "./subjects";
import { questionTopic } from "./answers";

/**
 * What a clause asks for, by the kind of wording it uses: a modal, a wish, "not acceptable",
 * a complaint, a present-tense rule, an order in a digest, or an answer to an interviewer's
 * question that carries the question's "must". Each reading records what it rests on.
 */
export type Basis =
  /** a modal verb (must, shall, should, need to, have to, cannot) or "is not acceptable" */
  | "stated"
  /** want, would like, need a way to */
  | "wish"
  /** a complaint read as the requirement it implies: "takes forever", "was never sent" */
  | "complaint"
  /** a rule without a modal: "only", "never", "at most", "up to" */
  | "constraint"
  /** a fix written as an order in a digest: "show first names and speciality" */
  | "imperative"
  /** an answer to "What must the page show?", or a fact with figures in meeting notes */
  | "implied";

export type Reading = {
  subject: Subject;
  negative: boolean;
  /** "must be able to" rather than "must" */
  ability: boolean;
  /** "may ... only": a permission within a limit, stated as the source states it */
  limitedPermission: boolean;
  /** words put before the source words: "send" for "we need a reminder SMS" */
  lead: string;
  /** source words after "must", verb first unless there is a lead */
  predicate: Token[];
  /** words of the predicate written differently, e.g. a verb in its base form ("sees" -> "see") */
  substitutions: ReadonlyMap<Token, string>;
  /** words put after the source words: "on the map" from the interviewer's question */
  trailing: string;
  basis: Basis;
  strength: Strength;
  notes: string[];
  /** quote the whole sentence rather than the clause: a complaint's circumstances matter */
  quoteSentence: boolean;
};

// "Nobody outside the team sees recipes" is a rule; "nobody reads more" is a remark: the rule names whom it excludes.
const EXCLUDING_SUBJECTS = ["nobody", "no one", "nothing"].flatMap((word) => ["else", "outside", "except", "but", "other than", "apart from", "without"].map((rest) => `${word} ${rest}`));
const CONSTRAINT_PHRASES = ["only", "never", "at most", "at least", "up to", "no more than", "maximum", "minimum", "limited", ...EXCLUDING_SUBJECTS];
const UNACCEPTABLE_PHRASES = ["not acceptable", "unacceptable", "not an option", "not ok", "not okay", "not allowed", "not permitted", "prohibited", "forbidden"];
const isWould = (token: Token) => token.lower === "would" || /['’]d$/.test(token.lower);
const WISH_AUXILIARIES = new Set(["do", "does", "did", "don't", "doesn't", "didn't", "would", "wouldn't", "not", "really", "just", "also", "still", "never"]);
const BE_FORMS = new Set(["is", "are", "was", "were"]);
const WILL = /^(?:will|won['’]t|wont|[a-z]+['’]ll)$/;


export function readClause(whole: Clause, scope: Scope): Reading | null {
  const clause = withoutTrailingReason(whole);
  if (clause.tokens.length < 2 || isChatter(clause)) return null;
  // "The instructors want something different for their side:": the line that opens a list asks through its items.
  const { block } = clause.sentence;
  if (block.introducesList && clause.sentence === block.sentences.at(-1)) return null;
  // What a wish list names is asked for, even when it mentions today ("entries cleared today").
  const listed = readWishListed(clause, scope) ?? readDecisionNoted(clause, scope) ?? readRequestedListItem(clause, scope);
  if (listed) return listed;
  // A listed requirement may name what is in use today ("the tablets in use today"); it is still a requirement.
  // How things are today, and "I don't know yet", are context for requirements, not requirements.
  const text = clauseText(clause);
  if (!clause.sentence.block.authored && (findPhrases(text, UNDECIDED_ANSWERS).length > 0 || talksOfToday(text))) return null;
  const read =
    readWouldBeNice(clause, scope) ??
    readHedgedSuggestion(clause, scope) ??
    readThingAskedFor(clause, scope) ??
    readThingAskedAsQuestion(clause, scope) ??
    readActivityNamed(clause, scope) ??
    readMakeSure(clause, scope) ??
    readModalOrWish(clause, scope) ??
    readNecessity(clause, scope) ??
    readCleftActor(clause, scope) ??
    readUnacceptable(clause, scope) ??
    readComplaint(clause, scope) ??
    readConstraint(clause, scope) ??
    readImperative(clause, scope) ??
    readShorthand(clause, scope) ??
    readThingOnCondition(clause, scope) ??
    readThingThatFollows(clause, scope) ??
    readAnswer(clause, scope);
  return read && !saysNothing(read) ? read : null;
}

/** "That's the bit I want the system to do": a predicate of "do" and a pronoun at most stands for something said elsewhere. */
function saysNothing(read: Reading): boolean {
  if (read.lead !== "" || read.trailing !== "") return false;
  const words = read.predicate.filter((token) => !token.tags.has("Adverb") && /\w/.test(token.text));
  return words.length > 0 && words[0].root === "do" && words.slice(1).every((token) => POINTING_BACK.has(token.lower) || token.lower === "so");
}

const REASON_WORDS = new Set(["because", "since", "cos", "'cause"]);
const PARTICLES = new Set(["out", "up", "away", "back", "off", "down", "over"]);

/**
 * "no more than six fridges, because of how the fridges have to be strapped in the van": a reason
 * that runs to the end of the clause is no part of what is required, and its "have to" is the
 * reason's; the clause is read without it. ("Because the vans are small, the system must ..." keeps
 * its reason, which a comma closes before the requirement.)
 */
function withoutTrailingReason(clause: Clause): Clause {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const reason = tokens.findIndex((token, index) => index > 0 && REASON_WORDS.has(token.lower));
  if (reason < 0 || tokens.slice(reason + 1).some((token, index) => commaBetween(text, tokens[reason + index], token))) return clause;
  // A reason without an obligation of its own stays in the statement ("must depend on the breed, because a poodle takes twice as long").
  if (!findModal(tokens.slice(reason + 1)) && !findWish(tokens.slice(reason + 1))) return clause;
  return { ...clause, tokens: tokens.slice(0, reason), end: tokens[reason - 1].end };
}

const reading = (subject: Subject, basis: Basis, fields: Partial<Reading>): Reading => ({
  subject,
  negative: false,
  ability: false,
  limitedPermission: false,
  lead: "",
  predicate: [],
  trailing: "",
  basis,
  strength: "firm",
  notes: [],
  quoteSentence: false,
  ...fields,
  // A field passed as undefined ("substitutions: maybe") still gets its default.
  substitutions: fields.substitutions ?? new Map(),
});

/** "A nice-to-have: a screen on the wall showing entries waiting": the thing wished for, after the label's colon. */
function readWishListed(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  // "Nice to have: a screen ..." reads like a speaker's label, so the label may be the block's.
  const { block } = clause.sentence;
  const labelled = block.voice !== null && findPhrases(block.voice, WISH_LABELS).length > 0 && block.sentences[0] === clause.sentence;
  const colon = labelled ? 0 : tokens.findIndex((token, index) => index > 0 && text.slice(tokens[index - 1].end, token.start).includes(":"));
  if (colon < 0 || (!labelled && findPhrases(text.slice(tokens[0].start, tokens[colon - 1].end), WISH_LABELS).length === 0)) return null;
  const thing = tokens.slice(colon);
  const first = thing[0];
  if (!first || first.tags.has("Pronoun") || !["Determiner", "Noun", "Adjective"].some((tag) => first.tags.has(tag))) return null;
  return wishedThing(clause, scope, thing, "listed as a nice-to-have: decide whether it is required");
}

/**
 * "Decision: reminder text 48 hrs before AND at 8am on the day", typed in a meeting's chat, and "So
 * we'll go with a reminder that morning", said: what a decision label's colon or a settling phrase
 * introduces is decided. A thing named without a verb is what the product must provide; a clause of
 * its own is read as any clause is.
 */
function readDecisionNoted(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const opening = afterConnectors(tokens);
  const colon = tokens.findIndex((token, index) => index > 0 && text.slice(tokens[index - 1].end, token.start).includes(":"));
  // The label is all that comes before the colon: "Decision:", "We agreed:".
  const label = colon < 0 ? "" : text.slice(tokens[opening].start, tokens[colon - 1].end).toLowerCase();
  // "So we'll go with a reminder that morning, and ...": what the meeting settles on, said as it settles.
  const settled = matchAt(tokens, opening, SETTLING_PHRASES);
  const from = DECISION_LABELS.includes(label) ? colon : settled > 0 && clause.sentence.block.spoken ? opening + settled : -1;
  if (from < 0) return null;
  const decided = tokens.slice(from);
  if (decided.length < 2) return null;
  const read = readClause({ ...clause, tokens: decided, start: decided[0].start }, scope);
  if (read) return { ...read, notes: [...read.notes, "noted as a decision"] };
  // "reminder text 48 hrs before ..., plus email if we have one": a thing named first, whatever follows it.
  if (!isNounPhraseWord(decided[0]) || decided[0].tags.has("Pronoun") || !decided.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"))) return null;
  return reading(asSystem(readSubject([], clause, scope)), "stated", { lead: "provide", predicate: decided, notes: ["noted as a decision without a verb; read as what the product must provide"] });
}

/** A verb the tagger found that is a verb on its own and neither a gerund nor a participle ("like", not "booking" or "tablet"). */
export const isRealVerb = (token: Token) => token.tags.has("Verb") && !token.tags.has("Gerund") && !token.tags.has("Participle") && isVerbWord(token.lower);

/** Where a clause's words start after the connectors that open it ("And so ..."). */
export function afterConnectors(tokens: readonly Token[]): number {
  let at = 0;
  while (at < tokens.length && CONNECTORS.has(tokens[at].lower)) at++;
  return at;
}

/** Whether the words from `first` to `last` name the meeting's own business (coffee, a break, the agenda), no thing for the product. */
function namesMeetingBusiness(text: string, first: Token, last: Token): boolean {
  return findPhrases(text.slice(first.start, last.end), [...SMALL_TALK, ...MEETING_NOUNS, ...MEETING_TALK]).length > 0;
}

/** More words than this in a list item without a verb are a description more often than a thing asked for. */
const MAX_LISTED_WORDS = 14;
export const NEGATIONS = new Set(["no", "not", "never", "nothing", "none"]);
const RELATIVES = new Set(["that", "which", "who", "whose", "where"]);

/**
 * "Here is what the front desk asked for:" followed by "- online booking for all classes", "- a
 * waiting list when a class is full": each item without a verb is a thing asked for. An item that
 * says what must not happen ("- no more double bookings") or has a verb of its own is read as
 * any sentence is.
 */
function readRequestedListItem(clause: Clause, scope: Scope): Reading | null {
  const { block } = clause.sentence;
  if (!block.listIntro || clause.sentence.index > 0 || findPhrases(block.listIntro, LIST_REQUEST_INTROS).length === 0) return null;
  const thing = clause.tokens;
  const first = thing[0];
  // "their own timetable on their phones": a possessive opens a thing; other pronouns open a sentence.
  if ((first.tags.has("Pronoun") && !first.tags.has("Possessive")) || NEGATIONS.has(first.lower)) return null;
  if (!["Determiner", "Noun", "Adjective", "Value", "Possessive"].some((tag) => first.tags.has(tag))) return null;
  // "reminders by text message": a word the tagger calls a verb right after a noun that follows a preposition or article is part of that noun.
  const inCompound = (index: number) => index >= 2 && thing[index - 1].tags.has("Noun") && ["Preposition", "Determiner", "Adjective"].some((tag) => thing[index - 2].tags.has(tag));
  const finite = (token: Token, index: number) => isRealVerb(token) && !inCompound(index);
  // "a waiting list when a class is full", "a badge that shows ...": a verb may follow in a clause of its own.
  const clauseAt = thing.findIndex((token) => SUBORDINATORS.has(token.lower) || RELATIVES.has(token.lower));
  const head = clauseAt < 0 ? thing : thing.slice(0, clauseAt);
  const names = head.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  if (thing.length > MAX_LISTED_WORDS || !names || head.some(finite) || thing.some((token) => NEGATIONS.has(token.lower))) return null;
  return wishedThing(clause, scope, thing, `listed under "${block.listIntro}" without a verb: say what the system must do with it`);
}

export const SUGGESTED_DETERMINERS = new Set(["a", "an", "some"]);
/** Fewer words than this ("maybe a quick break?") are talk about the meeting more often than a thing for the product. */
const MIN_SUGGESTED_WORDS = 4;

/** "And possibly a screen in the driver's lounge showing the queue, if it's cheap.": a thing suggested, with a hedge and no verb. */
function readHedgedSuggestion(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const at = afterConnectors(tokens);
  if (!SUGGESTION_OPENERS.has(lowerAt(tokens, at)) || !SUGGESTED_DETERMINERS.has(lowerAt(tokens, at + 1))) return null;
  const comma = tokens.findIndex((token, index) => index > at + 1 && /[,;]/.test(text.slice(tokens[index - 1].end, token.start)));
  const thing = tokens.slice(at + 1, comma < 0 ? tokens.length : comma);
  const finite = (token: Token) => token.tags.has("Verb") && !token.tags.has("Gerund") && !token.tags.has("Participle") && !(token.tags.has("PastTense") && token.lower.endsWith("ed"));
  if (thing.length < MIN_SUGGESTED_WORDS || thing.some(finite)) return null;
  // "Perhaps a short call with finance next week": what the people arrange for themselves, or when.
  if (thing.some((token) => token.tags.has("Date")) || findPhrases(text.slice(thing[0].start, thing.at(-1)!.end), MEETING_NOUNS).length > 0) return null;
  return wishedThing(clause, scope, thing, `suggested with "${tokens[at].lower}": decide whether it is required`);
}

/** More words than this before a "please" are no short request for a thing. */
const MAX_ASKED_WORDS = 8;

/**
 * "One invoice per household, please.", "Big buttons, please.", "Our blue and the crest, please.": a thing asked for
 * with "please" and no verb. A word the tagger reads as a verb but which is none on its own
 * ("tablet only please", "browser only please") is part of the thing; a real verb makes it an order ("Next slide, please").
 * What the meeting arranges for itself ("Coffee, please", "Two minutes, please") is no thing for the product.
 */
function readThingAskedFor(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const please = tokens.findIndex((token) => token.lower === "please");
  // "Big buttons, please, they wear gloves": a remark may follow after a comma.
  const ends = please === tokens.length - 1 || (please > 0 && commaBetween(text, tokens[please], tokens[please + 1]));
  if (please < 1 || !ends) return null;
  let at = 0;
  while (at < please && CONNECTORS.has(tokens[at].lower)) at++;
  // "Not red and green for in and out, please": a thing asked not to be used.
  const refused = ["not", "no"].includes(lowerAt(tokens, at)) && at + 1 < please;
  const thing = tokens.slice(refused ? at + 1 : at, please);
  const first = thing[0];
  const misreadVerb = (token: Token) => token.tags.has("Verb") && !isVerbWord(token.lower);
  const opensThing = first && (["Determiner", "Value", "Adjective", "Noun"].some((tag) => first.tags.has(tag)) || misreadVerb(first));
  // "Your name, please": what someone present is asked for.
  if (!opensThing || thing.length > MAX_ASKED_WORDS || (first.tags.has("Pronoun") && !first.tags.has("Possessive")) || thing.some((token) => token.lower === "your")) return null;
  // "Not red and green": a quality named alone is what is refused.
  const names = thing.some((token) => (token.tags.has("Noun") && !token.tags.has("Pronoun")) || misreadVerb(token) || (refused && token.tags.has("Adjective")));
  if (!names || thing.some(isRealVerb) || thing.some((token) => token.tags.has("Date") || token.tags.has("Duration"))) return null;
  if (namesMeetingBusiness(text, first, thing.at(-1)!)) return null;
  const asked = refused
    ? reading(asSystem(readSubject([], clause, scope)), "wish", { negative: true, lead: "use", predicate: thing, strength: "soft", notes: [`asked not to have with "please" and no verb: say what the system must avoid`] })
    : wishedThing(clause, scope, thing, `asked for with "please" and no verb: say what the system must do with it`);
  // "And invoicing?" "... One invoice per household, please.": the thing is asked for what the question is about.
  const { block } = clause.sentence;
  const topic = block.asked ? questionTopic(block.asked) : null;
  if (!topic) return asked;
  return { ...asked, subject: { ...asked.subject, condition: `for ${lowerFirst(voicedWords(text, topic, scope.voice))}`, usedTopic: true } };
}

/**
 * "Can we get the ushers' app in Polish as well?", "Could we have a printed copy for the desk?": a
 * thing asked for as a question. What the meeting asks for itself ("Can we have a break?", "a
 * quick look") is no thing for the product; neither is one with a verb of its own.
 */
function readThingAskedAsQuestion(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const at = askingToGet(tokens, CONNECTORS.has(lowerAt(tokens, 0)) ? 1 : 0);
  if (at === 0) return null;
  let end = tokens.length;
  while (end > at && ALSO_WORDS.has(lowerAt(tokens, end - 1))) end--;
  if (lowerAt(tokens, end - 2) === "as" && lowerAt(tokens, end - 1) === "well") end -= 2;
  const thing = tokens.slice(at, end);
  const names = thing.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  // "a meeting tomorrow" asks for the meeting's time; "day passes" names a thing by its period.
  const when = (token: Token, index: number) => (token.tags.has("Date") || token.tags.has("Duration")) && !thing[index + 1]?.tags.has("Noun");
  if (!names || thing.some(isRealVerb) || thing.some((token, index) => token.lower === "your" || when(token, index))) return null;
  if (namesMeetingBusiness(text, thing[0], thing.at(-1)!)) return null;
  return wishedThing(clause, scope, thing, `asked for as a question ("${sentenceText(clause.sentence).trim()}"): say what the system must do with it`);
}

const ALSO_WORDS = new Set(["too", "also", "please"]);

/**
 * "Scanning tickets at the door, on a phone, because the queue goes round the block.": in a
 * conversation, an activity named with its object and no verb of its own is something people
 * want the product to let them do. Talk that moves the meeting ("Going back to refunds", "Looking
 * at the numbers") names no object right after its word, and a sentence with a verb of its own
 * ("Getting the kids fed is chaos") says something about the activity instead.
 */
function readActivityNamed(clause: Clause, scope: Scope): Reading | null {
  const { tokens, sentence } = clause;
  // Only what opens its sentence: after a verb ("We sell them, scanning each at the door") a gerund says how.
  if (!sentence.block.spoken || sentence.tokens.some((token) => token.end <= (tokens[0]?.start ?? 0) && isRealVerb(token))) return null;
  const at = afterConnectors(tokens);
  const [activity, object] = [tokens[at], tokens[at + 1]];
  if (!activity?.tags.has("Gerund") || !object || !["Noun", "Determiner", "Adjective", "Possessive"].some((tag) => object.tags.has(tag)) || object.tags.has("Pronoun")) return null;
  const text = sentence.block.source.text;
  // "Plumbing, electrics, that sort of thing": a list of kinds, no activity with its object.
  if (commaBetween(text, activity, object)) return null;
  const reasonAt = tokens.findIndex((token, index) => index > at && (SUBORDINATORS.has(token.lower) || RELATIVES.has(token.lower) || token.lower === "because"));
  const thing = tokens.slice(at, reasonAt < 0 ? tokens.length : reasonAt);
  if (thing.length < MIN_ACTIVITY_WORDS || thing.slice(1).some((token) => isRealVerb(token) || token.tags.has("Copula"))) return null;
  if (namesMeetingBusiness(text, thing[0], thing.at(-1)!)) return null;
  return reading(asSystem(readSubject([], clause, scope)), "wish", {
    lead: "allow",
    predicate: thing,
    substitutions: new Map([[activity, activity.lower]]),
    notes: [`"${activity.text}" named as something to do, with no verb of its own: say who does it and what the system must do`],
  });
}

/** "Scanning tickets" is the least an activity named with its object takes. */
const MIN_ACTIVITY_WORDS = 2;

/** How many words open "can we get", "could we please have" up to the thing asked for; 0 when the clause does not open so. */
export function askingToGet(tokens: readonly Token[], at: number): number {
  const words = tokens.slice(at, at + 4).map((token) => token.lower);
  if (!["can", "could"].includes(words[0]) || !["we", "i", "it"].includes(words[1])) return 0;
  const verb = words[2] === "please" || words[2] === "also" ? 3 : 2;
  // "Can it also do day passes?": asked of the product, what it does is what it must provide.
  const getting = words[1] === "it" ? ["do", "handle", "offer", "support", "take"] : ["get", "have"];
  return getting.includes(words[verb]) && tokens[at + verb + 1] !== undefined ? at + verb + 1 : 0;
}

/** A thing wished for without a verb: "The system must provide <thing>", as soft as the wish. */
function wishedThing(clause: Clause, scope: Scope, thing: Token[], note?: string): Reading {
  return reading(asSystem(readSubject([], clause, scope)), "wish", { lead: "provide", predicate: thing, strength: "soft", notes: note ? [note] : [] });
}

/** "... would save a lot of grief", "would solve that", "would stop the phoning round". */
const SPARING_VERBS = new Set(["save", "solve", "stop"]);

/** "It would be nice if the system handled this appropriately." */
function readWouldBeNice(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  // "It might be nice if members could rate a book" wishes as softly.
  const beWelcome = (index: number) => lowerAt(tokens, index + 1) === "be" && WELCOMING_WORDS.has(lowerAt(tokens, index + 2));
  // "It would help if the duty clinician could see ...": "would help" welcomes as "would be helpful" does.
  const helps = (index: number) => lowerAt(tokens, index + 1) === "help" && ["if", "to"].includes(lowerAt(tokens, index + 2));
  // "A map on the website showing which routes are done would save a lot of grief": a thing said to spare trouble is wished for.
  const spares = (index: number) => SPARING_VERBS.has(lowerAt(tokens, index + 1)) && index > 0;
  const at = tokens.findIndex((token, index) => (isWould(token) || token.lower === "might") && (beWelcome(index) || helps(index) || spares(index)));
  if (at < 0) return null;
  // How many words say it is welcome: "would be nice", "would help".
  const span = helps(at) ? 2 : 3;
  // "(If there's budget left,) a dashboard showing the claims per day would be nice": the thing wished for comes first.
  const text = clause.sentence.block.source.text;
  const afterComma = tokens.findLastIndex((token, index) => index > 0 && index < at && commaBetween(text, tokens[index - 1], token));
  const thing = tokens.slice(Math.max(afterComma, 0), at);
  const first = thing[0];
  const pointsBack = thing.length === 1 && POINTING_BACK.has(first.lower);
  if (first && !first.tags.has("Pronoun") && !pointsBack && ["Determiner", "Noun", "Adjective"].some((tag) => first.tags.has(tag))) {
    return wishedThing(clause, scope, thing);
  }
  if (spares(at)) return null;
  // "(It) would be nice to text everyone when the water goes off": what the speaker's side wishes to be able to do.
  if (lowerAt(tokens, at + span) === "to" && tokens[at + span + 1] && isInfinitiveWord(tokens[at + span + 1].lower)) {
    const predicate = tokens.slice(at + span + 1);
    return reading(forPeople(readSubject([], clause, scope), clause), "wish", { ability: true, predicate, substitutions: new Map([[predicate[0], predicate[0].lower]]), strength: "soft" });
  }
  // "It'd be nice, maybe, if growers got a text": hedges may stand before the "if".
  let ifAt = at + span;
  while (ifAt < tokens.length && tokens[ifAt].lower !== "if" && tokens[ifAt].tags.has("Adverb")) ifAt++;
  // "If we could see where bookings were refused, that would be brilliant": the wish said first, then taken up by "that".
  const said = clause.sentence.tokens;
  const ifBefore = pointsBack ? said.findIndex((token) => token.start < thing[0].start && token.lower === "if") : -1;
  if (lowerAt(tokens, ifAt) !== "if" && ifBefore < 0) return null;
  const inner = ifBefore >= 0 ? said.slice(ifBefore + 1).filter((token) => token.start < thing[0].start) : tokens.slice(ifAt + 1);
  const verbAt = inner.findIndex((token, index) => index > 0 && token.tags.has("Verb"));
  if (verbAt < 1) return null;
  // "It would be great if people could book a room": what they could do, they must be able to.
  if (["could", "can"].includes(inner[verbAt].lower) && inner[verbAt + 1]) {
    return reading(forPeople(readSubject(inner.slice(0, verbAt), clause, scope), clause), "wish", { ability: true, predicate: inner.slice(verbAt + 1), strength: "soft" });
  }
  return reading(readSubject(inner.slice(0, verbAt), clause, scope), "wish", {
    predicate: inner.slice(verbAt),
    substitutions: new Map([[inner[verbAt], baseVerb(inner[verbAt])]]),
    strength: "soft",
  });
}

function readModalOrWish(clause: Clause, scope: Scope): Reading | null {
  const modal = mainModal(clause);
  const wish = findWish(clause.tokens);
  if (modal && (!wish || modal.index < wish.index)) return readModal(clause, modal, scope);
  if (!wish) return null;
  const opening = afterConnectors(clause.tokens);
  // "You asked me to talk through what we need for the new ordering thing": a need named inside what a verb before it
  // talks about is none stated. ("What we need is ..." opens with it and states one; "Nothing clinical beyond what they need" limits.)
  const embeddedAt = wish.index - 2;
  const embedded = embeddedAt > opening && EMBEDDING_WORDS.has(lowerAt(clause.tokens, embeddedAt)) && clause.tokens[wish.index - 1].tags.has("Pronoun");
  if (embedded && clause.tokens.slice(opening, embeddedAt).some((token) => token.tags.has("Verb") && !token.tags.has("Gerund"))) return null;
  // "when they want to swap, they request it ...": a wish inside a leading condition is the condition's.
  if (CONDITIONS.has(lowerAt(clause.tokens, opening)) && wish.index < opening + conditionLength(clause.tokens.slice(opening), clause.sentence.block.source.text)) return null;
  // "So, tonight I'd like the ward, the dispensary and reception, in that order": the meeting's own agenda.
  const before = clause.tokens.slice(0, wish.index);
  const speakerNow = before.some((token) => /^(?:i|we)(?:['’]d)?$/.test(token.lower)) && findPhrases(renderWords(clause.sentence.block.source.text, before), MEETING_TIMES).length > 0;
  return speakerNow ? null : readWish(clause, wish, scope);
}

/**
 * The modal of the clause itself: in "If the scanner can't read a tag, the nurse must type the number
 * in", the "can't" is the condition's, and the clause's own modal comes after the comma that closes it.
 */
function mainModal(clause: Clause): ModalCue | null {
  const { tokens } = clause;
  const modal = findModal(tokens);
  const at = afterConnectors(tokens);
  if (!modal || !CONDITIONS.has(lowerAt(tokens, at))) return modal;
  // "When someone rings up I need to see ...": a condition with a verb of its own before the modal leaves the modal to the clause.
  if (tokens.slice(at + 1, modal.index).some((token) => token.tags.has("Verb"))) return modal;
  const length = conditionLength(tokens.slice(at), clause.sentence.block.source.text);
  const closed = at + length;
  if (length === 0 || modal.index > closed) return modal;
  const own = findModal(tokens.slice(closed));
  if (own) return { ...own, index: own.index + closed, verbIndex: own.verbIndex + closed };
  // "If it has to change, I stop that one and send a new one": a main clause of its own, with no modal, leaves the modal to the condition.
  const text = clause.sentence.block.source.text;
  if (commaBetween(text, tokens[closed - 1], tokens[closed]) && MAIN_CLAUSE_PRONOUNS.has(tokens[closed].lower) && isMainVerb(tokens[closed + 1])) return null;
  // Otherwise the condition had no comma of its own ("If they book online it should come to us, ...").
  return modal;
}

/**
 * "Anything shorter than that and Gary can't get the digger there", "Any later and we can't load":
 * "any" with a comparative, then "and", puts a condition; what follows is its consequence, no rule.
 */
function isConsequenceOfMore(subject: readonly Token[]): boolean {
  const and = subject.findIndex((token) => token.lower === "and");
  return and > 1 && ["any", "anything", "anyone", "anybody"].includes(subject[0].lower) && subject.slice(1, and).some((token) => token.tags.has("Comparative"));
}

/**
 * "I'll keep it muted unless I need to say something": a modal after "unless", "because" or
 * "although" in the middle of a sentence (or after an "if" that follows a clause with "would"), with
 * no comma between, is the subordinate clause's; the main clause before it states no obligation.
 */
function inTrailingClause(clause: Clause, index: number): boolean {
  const { tokens } = clause;
  const text = clause.sentence.block.source.text;
  const opening = afterConnectors(tokens);
  // "he'd use the adapted trikes if he could book them himself": after a clause with "would", an "if" imagines its condition.
  const imagined = (position: number) => tokens[position].lower === "if" && tokens.slice(opening, position).some(isWould);
  const at = tokens.findLastIndex((token, position) => position > opening + 1 && position < index && (TRAILING_SUBORDINATORS.has(token.lower) || imagined(position)));
  return at > 0 && !/[,;:]/.test(text.slice(tokens[at].end, tokens[index].start));
}
const TRAILING_SUBORDINATORS = new Set(["unless", "because", "although", "though", "whereas"]);

/** "I never want to see it again", "don't want to go through that again": relief at something being over, wishing nothing of the product. */
export function isExasperation(tokens: Token[]): boolean {
  const wish = findWish(tokens);
  const rest = wish ? tokens.slice(wish.restIndex) : [];
  return wish !== null && wish.negative && rest.at(-1)?.lower === "again" && rest.some((token) => ["it", "that", "this"].includes(token.lower));
}

function readModal(clause: Clause, modal: ModalCue, scope: Scope): Reading | null {
  const { tokens } = clause;
  if (inTrailingClause(clause, modal.index) || isConsequenceOfMore(tokens.slice(afterConnectors(tokens), modal.index))) return null;
  // "Maybe the tenant could upload photos?": what someone could do, proposed as a question, is what they must be able to do.
  const proposed = modal.strength === "soft" && isQuestion(clause.sentence);
  let subjectStart = 0;
  // "Ideally the caretakers would see ...", "Maybe the tenant could upload photos?": the hedge is no part of the subject.
  const text = clause.sentence.block.source.text;
  // "Just, it's got to be quick": a word set off by a comma before the subject opens the turn.
  const setOff = (at: number) => tokens[at].lower === "just" && at + 1 < modal.index && commaBetween(text, tokens[at], tokens[at + 1]);
  while (subjectStart < modal.index && ((proposed && CONNECTORS.has(tokens[subjectStart].lower)) || SUGGESTION_OPENERS.has(tokens[subjectStart].lower) || setOff(subjectStart))) subjectStart++;
  const subjectWords = tokens.slice(subjectStart, modal.index);
  // "I'm collecting what the system has to do", "tell me which reports must go out": the modal is inside a question a verb embeds.
  if (subjectWords.some((token, index) => QUESTION_OPENERS.has(token.lower) && embeddedBy(subjectWords, index, text))) return null;
  const fronted = frontedObject(subjectWords, tokens.slice(modal.verbIndex), text);
  const subject = fronted ? frontedSubject(fronted, clause, scope) : readSubject(subjectWords, clause, scope);
  const predicate = tokens.slice(modal.verbIndex);
  if (predicate.length === 0) return null;
  const read = readModalWithSubject(clause, scope, modal, subject, predicate, proposed);
  return fronted ? withObject(read, fronted.verb, fronted.object, clause) : read;
}

/** The reading with the fronted object put back after its verb: "book the confocals for up to four hours". */
function withObject(read: Reading | null, verb: Token, object: readonly Token[], clause: Clause): Reading | null {
  if (!read) return null;
  const substitutions = new Map(read.substitutions);
  substitutions.set(verb, `${substitutions.get(verb) ?? verb.lower} ${lowerFirst(renderWords(clause.sentence.block.source.text, object))}`);
  return { ...read, substitutions };
}

/**
 * "The confocals you can book for up to four hours": the thing said first is the object of the verb,
 * which has none after it, and the pronoun right before the modal is who acts.
 */
function frontedObject(before: readonly Token[], predicate: readonly Token[], text: string): { subject: Token[]; object: Token[]; verb: Token } | null {
  const pronoun = before.at(-1);
  const object = before.slice(0, -1);
  if (!pronoun || !FRONTING_PRONOUNS.has(pronoun.lower) || object.length === 0) return null;
  if (!object.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun")) || !object.every(isNounPhraseWord) || commaBetween(text, object.at(-1)!, pronoun)) return null;
  // "they can only use at night": an adverb may stand before the verb.
  const at = predicate.findIndex((token) => !token.tags.has("Adverb"));
  const [verb, next] = [predicate[at], predicate[at + 1]];
  const objectless = next === undefined || next.tags.has("Preposition") || next.tags.has("Adverb");
  return verb && verb.tags.has("Verb") && !verb.tags.has("Copula") && objectless ? { subject: [pronoun], object: [...object], verb } : null;
}

/** Who acts in a fronted sentence: a generic "you" is whoever uses the product. */
const frontedSubject = (fronted: { subject: Token[] }, clause: Clause, scope: Scope): Subject => {
  const subject = readSubject(fronted.subject, clause, scope);
  return fronted.subject[0].lower === "you" ? forPeople({ ...subject, person: false, firstPerson: false }, clause) : subject;
};
const FRONTING_PRONOUNS = new Set(["you", "we", "they", "i"]);
const ENDING_VERBS = new Set(["stop", "end", "change", "go", "finish"]);
/** What opens a question put inside a sentence: "talk through what we need". */
const EMBEDDING_WORDS = new Set(["what", "how", "where", "when", "why", "which", "whatever"]);
/**
 * What opens a question a verb takes as its object ("collecting what", "tell me which"). "When" and "where" after a
 * verb mostly open a clause of time or place ("people turn when branches are closed"), so they are not among them.
 */
const QUESTION_OPENERS = new Set(["what", "which", "how", "whatever"]);

/**
 * Whether the word at `index` opens a question that the verb right before it (or its pronoun object: "tell me what")
 * takes. After a comma, "which" opens a relative clause ("the data's down, which it often is").
 */
function embeddedBy(tokens: readonly Token[], index: number, text: string): boolean {
  const before = tokens[index - 1];
  const verbAt = before?.tags.has("Pronoun") ? index - 2 : index - 1;
  const verb = tokens[verbAt];
  return verb !== undefined && verb.tags.has("Verb") && !verb.tags.has("Copula") && !commaBetween(text, tokens[index - 1], tokens[index]);
}

function readModalWithSubject(clause: Clause, scope: Scope, modal: ModalCue, subject: Subject, predicate: Token[], proposed: boolean): Reading | null {
  const { tokens } = clause;
  // "That has to stop.", "This needs to change.": the speaker is done with what they just described; it names nothing to build.
  const opening = afterConnectors(tokens);
  const pointsBack = modal.index > opening && tokens.slice(opening, modal.index).every((token) => POINTING_BACK.has(token.lower));
  if (pointsBack && predicate.length === 1 && ENDING_VERBS.has(predicate[0].root)) return null;
  // "I have to call every patient by hand" describes the speaker's work today; "Maybe we could enter them by hand?" proposes it.
  if (subject.firstPerson && !proposed && findPhrases(clauseText(clause), MANUAL_WORK_MARKERS).length > 0) return null;
  // "We need to decide who owns the contract": what the people present do next, not the product.
  if (subject.firstPerson && isFollowUp(predicate)) return null;
  const cannot = ["can", "cannot", "can't"].includes(tokens[modal.index].lower) && modal.negative;
  // "We can't have refunds going out twice": what the organisation will not allow to happen.
  if (cannot && subject.firstPerson && predicate[0].root === "have" && predicate.length > 1) {
    return reading(asSystem(subject), "stated", { negative: true, lead: "allow", predicate: predicate.slice(1) });
  }
  if (cannot && (clause.sentence.block.source.kind === "ticket_digest" || subject.firstPerson)) {
    if (SPEAKER_ONLY_VERBS.has(predicate[0].root)) return null;
    // "And if there's anything we can't supply, they need to know ...": a "can't" inside a condition sets it, and complains of nothing.
    if (CONDITIONS.has(lowerAt(tokens, afterConnectors(tokens)))) return null;
    // "I'm driving, I can't be typing": what the speaker cannot be doing at the time is their situation, not a missing feature.
    if (predicate[0].lower === "be" && predicate[1]?.tags.has("Gerund")) return null;
    return reading(forPeople(subject, clause), "complaint", { ability: true, predicate, quoteSentence: true, notes: ["read from a complaint that this is not possible today"] });
  }
  // "We could do a rubber edge": the people making it propose a thing it has.
  if (subject.firstPerson && modal.strength === "soft" && predicate[0].root === "do" && predicate[1] && ["Determiner", "Adjective", "Noun"].some((tag) => predicate[1].tags.has(tag)) && !predicate[1].tags.has("Pronoun") && !modal.negative) {
    return wishedThing(clause, scope, predicate.slice(1), `proposed by the people making it ("${tokens[modal.index].text} do"): decide whether it is required`);
  }
  if (proposed) return reading(subject, "wish", { negative: modal.negative, ability: true, predicate, strength: "soft", notes: ["proposed as a question: decide whether it is required"] });
  return reading(subject, "stated", { negative: modal.negative, ability: modal.ability, predicate, strength: modal.strength });
}

function readWish(clause: Clause, wish: WishCue, scope: Scope): Reading {
  const { tokens } = clause;
  // "Sick leave doesn't need approval": the subject ends before its auxiliary; "What we need is": "what" is no part of it.
  let subjectEnd = wish.index;
  while (subjectEnd > 0 && WISH_AUXILIARIES.has(tokens[subjectEnd - 1].lower)) subjectEnd--;
  const subjectStart = lowerAt(tokens, 0) === "what" ? 1 : 0;
  const subject = readSubject(tokens.slice(subjectStart, Math.max(subjectStart, subjectEnd)), clause, scope);
  const rest = tokens.slice(wish.restIndex);
  const negative = wish.negative;
  if (wish.shape === "to_verb") {
    // "so it wants to be up round the clock": what a thing "wants" is what it needs, nobody's wish to act.
    const saidOfIt = subjectEnd - subjectStart === 1 && lowerAt(tokens, subjectStart) === "it";
    if (saidOfIt && !negative) return reading(subject, "wish", { predicate: rest });
    // "Patients don't want to wait on the phone": what people would rather not do, they must not have to.
    if (negative && !startsWithAbility(rest)) return reading(forPeople(subject, clause), "wish", { negative, lead: "have to", predicate: rest });
    return reading(forPeople(subject, clause), "wish", { negative, ability: !startsWithAbility(rest), predicate: skipAbility(rest) });
  }
  if (wish.shape === "actor_to_verb") {
    const actor = readSubject(wish.actor, clause, scope);
    // "students picking emergency": what they would be doing, said as what they must (not) do.
    const doing = rest[0]?.tags.has("Gerund") ? new Map([[rest[0], baseVerb(rest[0])]]) : undefined;
    return reading(actor, "wish", { negative, ability: actor.person && !startsWithAbility(rest), predicate: skipAbility(rest), substitutions: doing });
  }
  // "And the card details, I don't want them anywhere near our computers": the thing named first is where it must (not) be.
  const dislocated = subject.firstPerson ? dislocatedTopic(clause, rest) : null;
  if (dislocated) return reading(readSubject(dislocated, clause, scope), "wish", { negative, lead: "be", predicate: rest.slice(1), quoteSentence: true });
  // "patients want it the day before" — people receive what they want
  if (subject.person && !subject.firstPerson) return reading(subject, "wish", { negative, lead: "receive", predicate: rest });
  // "I don't want my journeys sold to advertisers", "I want the invoices sent by email": the thing, and what must be done to it.
  const done = subject.firstPerson ? participleAfterThing(rest) : -1;
  if (done > 0) {
    const thingDone = { ...readSubject(rest.slice(0, done), clause, scope), condition: subject.condition, connector: subject.connector };
    return reading(thingDone, "wish", { negative, lead: "be", predicate: rest.slice(done) });
  }
  const thing = rest.find((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  // "Sick leave doesn't need approval": a thing that needs nothing must not require it.
  const verb = thing && MESSAGE_NOUNS.has(thing.root) ? "send" : subject.firstPerson || subject.actor === "system" ? "provide" : negative ? "require" : "have";
  return reading(subject.firstPerson ? asSystem(subject) : subject, "wish", { negative, lead: verb, predicate: rest });
}

const DISLOCATED_PRONOUNS = new Set(["it", "them"]);

/** Where a past participle follows a noun phrase that opens the words ("my journeys sold to ..."), or -1. */
function participleAfterThing(words: readonly Token[]): number {
  const at = words.findIndex((token) => !isNounPhraseWord(token) && !(token.tags.has("Possessive") && token.tags.has("Pronoun")));
  const participle = words[at];
  const isParticiple = participle !== undefined && participle.tags.has("PastTense") && participle.tags.has("Verb") && (/ed$/.test(participle.lower) || IRREGULAR_PARTICIPLES.has(participle.lower));
  const named = words.slice(0, Math.max(at, 0)).some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  return isParticiple && named && words[at + 1] !== undefined ? at : -1;
}

/**
 * The noun phrase a sentence opens with, set off by a comma, that the wanted "it" or "them" takes
 * up again ("The card details, I don't want them on our computers"); null when the wish names its
 * own thing or says nothing of where or how the thing must be.
 */
function dislocatedTopic(clause: Clause, rest: readonly Token[]): Token[] | null {
  if (!DISLOCATED_PRONOUNS.has(lowerAt(rest, 0)) || rest.length < 2) return null;
  const { sentence } = clause;
  const before = sentence.tokens.filter((token) => token.end <= clause.tokens[0].start);
  const phrase = before.slice(afterConnectors(before));
  const text = sentence.block.source.text;
  // "the card details": a plural the tagger reads as a verb, after a noun phrase's first words, is still its noun.
  const nominal = (token: Token, index: number) => isNounPhraseWord(token) || (index > 0 && token.tags.has("PresentTense") && /s$/.test(token.lower));
  if (phrase.length === 0 || !phrase.every(nominal) || !phrase.some((token) => token.tags.has("Noun")) || !commaBetween(text, phrase.at(-1)!, clause.tokens[0])) return null;
  return phrase;
}

/**
 * "Make sure the customer gets an email when ...", "Ensure that every letter is stored ...", "It's
 * essential that ...", "I'm keen that everyone has their own login": the clause it governs is required.
 */
function readMakeSure(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  let at = 0;
  while (at < tokens.length && (CONNECTORS.has(tokens[at].lower) || tokens[at].lower === "please" || tokens[at].lower === "just")) at++;
  // "While we're on reception, I'm keen that ...": an insistence may follow a phrase setting the scene.
  const text = clause.sentence.block.source.text;
  const afterComma = tokens.findIndex((token, index) => index > at && commaBetween(text, tokens[index - 1], token) && insistenceAt(tokens, index) > 0);
  if (afterComma > 0) at = afterComma;
  // "Can we make sure ...?": a request put as a question.
  const asked = askingToMakeSure(tokens, at);
  at += asked;
  const intended = intentionAt(tokens, at);
  const wished = wishedClauseAt(tokens, at);
  const opener = lowerAt(tokens, at) === "ensure" ? 1 : lowerAt(tokens, at) === "make" && lowerAt(tokens, at + 1) === "sure" ? 2 : intended || wished || insistenceAt(tokens, at);
  if (opener === 0) return null;
  const inner = tokens.slice(at + opener + (lowerAt(tokens, at + opener) === "that" ? 1 : 0));
  // "Can we make sure a patron can't hold more than eight seats?", "The idea is that it has to run on batteries":
  // the inner clause says it with its own modal.
  if ((opener === 2 || intended > 0) && findModal(inner) && inner.length > 0) return readModalOrWish({ ...clause, tokens: inner, start: inner[0].start }, scope);
  const verbAt = declarativeVerb(inner, clause.sentence.block.source.text);
  // "It's important that we talk about lunch": a task for the people present.
  if (verbAt < 1 || findModal(inner) || isFollowUp(inner.slice(verbAt))) return null;
  const verb = inner[verbAt];
  const said = readSubject(inner.slice(0, verbAt), clause, scope);
  // "What I want is, you scan the tag": anyone who does it, which is the product's users.
  const subject = wished > 0 && said.text.toLowerCase() === "you" ? forPeople(asSystem(said), clause) : said;
  // "The idea is that I write this up", "Can we make sure we finish on time?": the people talking, not the product.
  if ((intended > 0 || asked > 0 || wished > 0) && subject.firstPerson) return null;
  // "make sure the system won't take ...": "will" carries no obligation of its own; "would", "could" guess.
  if (verb.tags.has("Modal")) {
    if (!WILL.test(verb.lower) || verbAt + 1 >= inner.length) return null;
    const not = lowerAt(inner, verbAt + 1) === "not" ? 1 : 0;
    return reading(subject, "stated", { negative: not === 1 || /n['’]t$/.test(verb.lower), predicate: inner.slice(verbAt + 1 + not) });
  }
  // "What I want is the fixtures built from the teams entered": the participle wished for is passive.
  const passive = wished > 0 && verb.tags.has("PastTense");
  return reading(subject, "stated", {
    predicate: inner.slice(verbAt),
    substitutions: new Map([[verb, passive ? `be ${verb.lower}` : baseVerb(verb)]]),
  });
}

/** How many words open "can we (just) make sure", "could you make sure" up to the "make"; 0 when the clause does not open so. */
export function askingToMakeSure(tokens: readonly Token[], at: number): number {
  const words = tokens.slice(at, at + 5).map((token) => token.lower);
  if (!["can", "could"].includes(words[0]) || !["we", "you"].includes(words[1])) return 0;
  const make = words[2] === "just" || words[2] === "please" ? 3 : 2;
  return words[make] === "make" && words[make + 1] === "sure" ? make : 0;
}

/**
 * How many words open "what I want is", "what we'd really like is that" before a clause with its own
 * subject and verb ("..., you scan the tag when you take it"); 0 when the clause does not open so,
 * or what follows names a thing ("what we need is an order form", read as a wish for it).
 */
function wishedClauseAt(tokens: readonly Token[], at: number): number {
  if (lowerAt(tokens as Token[], at) !== "what") return 0;
  const be = tokens.findIndex((token, index) => index > at + 1 && index <= at + 5 && BE_FORMS.has(token.lower));
  const wish = tokens.slice(at + 1, be).map((token) => token.lower.replace(/’/g, "'"));
  const wishes = wish.length >= 2 && /^(?:i|we)(?:'d)?$/.test(wish[0]) && ["want", "need", "like"].includes(wish.at(-1)!) && wish.slice(1, -1).every((word) => ["really", "would", "also", "just"].includes(word));
  if (be < 0 || !wishes) return 0;
  const inner = tokens.slice(be + 1 + (lowerAt(tokens as Token[], be + 1) === "that" ? 1 : 0));
  if (inner.length === 0 || ["for", "to"].includes(inner[0].lower)) return 0;
  // "an order form that cafes fill in", "a way to release seats": a thing, whose verb belongs to its relative clause.
  const verbAt = declarativeVerb(inner);
  const opensClause = verbAt >= 1 && inner.slice(0, verbAt).every((token) => !RELATIVES.has(token.lower) && token.lower !== "to");
  return opensClause ? be + 1 - at : 0;
}

/** Words between an intention's noun and its "is": "the brief from management is". */
const MAX_INTENTION_QUALIFIER_WORDS = 3;

/**
 * How many words open "the idea is that", "the whole plan is that", "the brief from management is"
 * up to the clause they introduce (its "that" is skipped by the caller); 0 when the clause does not open so.
 */
function intentionAt(tokens: readonly Token[], at: number): number {
  const words = tokens.slice(at, at + 4 + MAX_INTENTION_QUALIFIER_WORDS).map((token) => token.lower);
  const noun = words[1] === "whole" ? 2 : 1;
  if (words[0] !== "the" || !INTENTION_NOUNS.has(words[noun])) return 0;
  const is = words.indexOf("is", noun + 1);
  if (is < 0 || is > noun + 1 + MAX_INTENTION_QUALIFIER_WORDS || words.slice(noun + 1, is).some((word) => BE_FORMS.has(word))) return 0;
  if (words[is + 1] === "that") return is + 1;
  // Without "that", only a clause with its own subject and modal: "the brief is it has to sell for under sixty pounds".
  const inner = tokens.slice(at + is + 1);
  const modal = findModal(inner);
  return modal && modal.index > 0 ? is + 1 : 0;
}

/**
 * How many words open "it's (really) essential that", "I'm keen that", "we are adamant that" up to
 * the "that"; 0 when the clause does not open so. The speaker, not the product, is the subject.
 */
function insistenceAt(tokens: readonly Token[], at: number): number {
  const subject = lowerAt(tokens as Token[], at).replace(/’/g, "'");
  if (!/^(?:it|i|we)(?:'s|'m|'re)?$/.test(subject)) return 0;
  const that = tokens.findIndex((token, index) => index > at && index <= at + 4 && token.lower === "that");
  if (that < 0 || !INSISTENCE_WORDS.has(lowerAt(tokens as Token[], that - 1))) return 0;
  const between = tokens.slice(at + 1, that - 1);
  return between.every((token) => BE_FORMS.has(token.lower) || token.lower === "am" || token.tags.has("Adverb")) ? that - at : 0;
}

/** "Photo evidence for every damaged item is a must.", "Two-factor login is mandatory." */
function readNecessity(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const verbAt = tokens.findIndex((token, index) => index > 0 && BE_FORMS.has(token.lower) && !token.negated && lowerAt(tokens, index + 1) !== "not");
  if (verbAt < 1) return null;
  const rest = tokens.slice(verbAt + 1).map((token) => token.lower).join(" ");
  // The phrase ends the clause or is followed by whom it is for: "is a must for insurance"
  const necessary = NECESSITY_PHRASES.some((phrase) => rest === phrase || rest.startsWith(`${phrase} for `));
  const subjectTokens = tokens.slice(0, verbAt);
  if (!necessary || subjectTokens.some((token) => token.tags.has("Pronoun"))) return null;
  return reading(readSubject(subjectTokens, clause, scope), "stated", { lead: "be provided" });
}

/**
 * "So it's the session nurses and the clinical team who see it, not the contact centre": who a cleft
 * sentence puts first are the only ones who do what follows its "who".
 */
function readCleftActor(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const { block } = clause.sentence;
  const text = block.source.text;
  const at = afterConnectors(tokens);
  const itIs = /^it['’]s$/.test(lowerAt(tokens, at)) ? 1 : lowerAt(tokens, at) === "it" && BE_FORMS.has(lowerAt(tokens, at + 1)) ? 2 : 0;
  const who = tokens.findIndex((token, index) => index > at + itIs && token.lower === "who");
  if (!block.spoken || itIs === 0 || who < 0) return null;
  const actor = tokens.slice(at + itIs, who);
  const names = actor.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  // The frame holds the words together: "nurses" may be tagged a verb there.
  if (!names || actor.length > MAX_CLEFT_ACTOR_WORDS || actor.some((token) => token.tags.has("Pronoun") || token.tags.has("Modal") || token.tags.has("Copula"))) return null;
  const verb = tokens[who + 1];
  if (!verb || !verb.tags.has("Verb") || verb.tags.has("PastTense") || verb.tags.has("Gerund")) return null;
  // "..., not the contact centre": who is left out closes the sentence.
  const leftOut = tokens.findIndex((token, index) => index > who + 1 && token.lower === "not" && commaBetween(text, tokens[index - 1], token));
  const predicate = tokens.slice(who + 1, indexOrEnd(leftOut, tokens.length));
  const subject = readSubject(actor, clause, scope);
  return reading({ ...subject, text: `only ${lowerFirst(subject.text)}` }, "stated", { predicate, substitutions: new Map([[verb, baseVerb(verb)]]), notes: ["read from who the sentence puts first: only they"] });
}
const MAX_CLEFT_ACTOR_WORDS = 8;

/** "Downtime during opening hours is not acceptable." */
function readUnacceptable(clause: Clause, scope: Scope): Reading | null {
  if (findPhrases(clauseText(clause), UNACCEPTABLE_PHRASES).length === 0) return null;
  const verbAt = clause.tokens.findIndex((token, index) => index > 0 && BE_FORMS.has(token.lower));
  if (verbAt < 1) return null;
  return reading(readSubject(clause.tokens.slice(0, verbAt), clause, scope), "stated", { negative: true, lead: "occur" });
}

function readComplaint(clause: Clause, scope: Scope): Reading | null {
  const complaint = findComplaint(clause.tokens);
  return complaint && !isComplaintOfSomethingElse(clause, complaint) ? complaintReading(clause, complaint, scope) : null;
}

/**
 * A failure word that is not the clause's complaint: inside its leading condition ("when the owner
 * dies it passes on"), in a relative clause describing people ("people who didn't live in the
 * borough"), or a one-off news the speaker missed ("I didn't know that had gone through").
 */
function isComplaintOfSomethingElse(clause: Clause, complaint: ComplaintCue): boolean {
  const { tokens } = clause;
  if (complaint.index < conditionLength(tokens, clause.sentence.block.source.text)) return true;
  if (lowerAt(tokens, complaint.index - 1) === "who") return true;
  // "I've never gone over twenty": what the speakers have never done is their experience, no failure.
  if (complaint.shape === "not_done" && tokens.slice(0, complaint.verbIndex).some((token, index) => /^(?:i|we)['’]ve$/.test(token.lower) || (["i", "we"].includes(token.lower) && lowerAt(tokens, index + 1) === "have"))) return true;
  return complaint.shape === "not_done" && !complaint.passive && ["did", "didn't"].includes(tokens[complaint.index].lower) && LEARNING_VERBS.has(tokens[complaint.verbIndex].root);
}

function complaintReading(clause: Clause, complaint: ComplaintCue, scope: Scope): Reading | null {
  const { tokens } = clause;
  const subject = readSubject(tokens.slice(0, complaint.index), clause, scope);
  const complaintOf = (fields: Partial<Reading>) => reading(subject, "complaint", { quoteSentence: true, ...fields });
  switch (complaint.shape) {
    case "slow":
      return complaintOf({
        lead: "be fast",
        predicate: tokens.slice(complaint.index + 1).filter((token) => !["forever", "ages", "too", "so", "long", "slow", "very"].includes(token.lower)),
        notes: ["read from a complaint about speed; the source gives no target time"],
      });
    case "late":
      return complaintOf({ negative: true, lead: "arrive", predicate: tokens.slice(complaint.index + 1), notes: ["read from a complaint; the source gives no deadline"] });
    case "not_done": {
      // "Seventy percent said they never changed the schedule": what people report doing or not is a finding, not a failure of the product.
      if (!complaint.passive && tokens.slice(0, complaint.index).some((token) => token.tags.has("Verb") && REPORTED_SPEECH_VERBS.has(token.root))) return null;
      const verbToken = tokens[complaint.verbIndex];
      const verb = baseVerb(verbToken);
      const notes = ["read from a complaint that something did not happen"];
      if (!complaint.passive) return complaintOf({ predicate: tokens.slice(complaint.verbIndex), substitutions: new Map([[verbToken, verb]]), notes });
      // "the receipt was never sent" -> "the system must send the receipt"
      const object = lowerFirst(renderVoiced(clause, tokens.slice(0, complaint.index), scope.voice));
      return reading(asSystem(subject), "complaint", { lead: `${verb} ${object}`, predicate: tokens.slice(complaint.verbIndex + 1), quoteSentence: true, notes });
    }
    case "failure":
      return complaintOf({
        negative: true,
        predicate: tokens.slice(complaint.index),
        substitutions: new Map([[tokens[complaint.index], baseVerb(tokens[complaint.index])]]),
        notes: ["read from a report of a failure; how the system should recover is not stated"],
      });
    case "waited": {
      // "I waited 20 minutes on the phone to book" -> "Patients must be able to book without waiting on the phone"
      const circumstances = tokens.slice(complaint.index + 1, complaint.purposeIndex - 1).filter((token) => !token.tags.has("Value") && !token.tags.has("Duration"));
      const waiting = circumstances.length > 0 ? `without waiting ${renderVoiced(clause, circumstances, scope.voice)}` : "without waiting";
      return reading(forPeople(subject, clause), "complaint", {
        ability: true,
        predicate: tokens.slice(complaint.purposeIndex),
        trailing: waiting,
        quoteSentence: true,
        notes: ["read from a complaint about waiting"],
      });
    }
  }
}

/** "Patients only see free slots, never other patients' names." — a rule stated in the present tense. */
function readConstraint(clause: Clause, scope: Scope): Reading | null {
  if (findPhrases(clauseText(clause), CONSTRAINT_PHRASES).length === 0 && !withholdsUntil(clause.tokens)) return null;
  // "A lot of the managers never read their email": what part of a group does is how people are, no rule.
  if (matchAt(clause.tokens, afterConnectors(clause.tokens), PARTIAL_QUANTIFIERS) > 0) return null;
  // "I only find out when the office rings me", "we never hear back": what people come to know, and when, is a complaint.
  if (clause.tokens.some((token, index) => ["only", "never"].includes(token.lower) && LEARNING_VERBS.has(clause.tokens[index + 1]?.root ?? ""))) return null;
  // "Pay as you go for people like me who only ride at weekends": the limit describes the people, in a relative clause.
  const verbAt = declarativeVerb(clause.tokens, clause.sentence.block.source.text);
  const beforeVerb = clause.tokens.slice(0, Math.max(verbAt, 0)).findLast((token) => !token.tags.has("Adverb") && !CONSTRAINT_WORDS.has(token.lower));
  if (verbAt > 0 && RELATIVES.has(beforeVerb?.lower ?? "")) return null;
  return readDeclarative(clause, scope, "constraint", []);
}
const LEARNING_VERBS = new Set(["find", "hear", "know", "learn", "notice", "realise", "realize", "discover"]);
const CONSTRAINT_WORDS = new Set(["only", "never", "just"]);

/**
 * "nothing gets confirmed until we've got the green form", "no lorry boards until ...", "nobody flies
 * one without a flyer ID": nothing happens before, or without, what must come first. "Nothing is
 * approved until I sign it" waits on the speaker in person: in a meeting, that is about what the
 * meeting agreed.
 */
function withholdsUntil(tokens: readonly Token[]): boolean {
  const at = tokens.findIndex((token, index) => NOTHING_AND_NOBODY.has(token.lower) || (token.lower === "no" && tokens[index + 1]?.tags.has("Noun") === true));
  const until = tokens.findIndex((token, index) => index > at && WITHHOLDING_WORDS.has(token.lower));
  if (at < 0 || until <= at + 1 || until - at > MAX_WITHHELD_WORDS || withoutContraction(lowerAt(tokens as Token[], until + 1)) === "i") return false;
  return tokens.slice(at + 1, until).some((token) => token.tags.has("Verb") && !token.negated);
}
const MAX_WITHHELD_WORDS = 5;
// "By law nobody flies one without a CAA flyer ID", "no drone goes out till ...": what must come first.
const WITHHOLDING_WORDS = new Set(["until", "till", "without", "unless"]);

const NEVER_ORDERED = new Set(["like", "love", "hate", "know", "mean", "seem", "wish"]);

/** "show first names and speciality" in a ticket digest or meeting notes; "Please keep entries for four years" anywhere. */
function readImperative(clause: Clause, scope: Scope): Reading | null {
  const kind = clause.sentence.block.source.kind;
  const text = clause.sentence.block.source.text;
  // "If nobody's answered in the app after sixty seconds, send the text.": an order on a condition of its own.
  const conditionEnd = conditionLength(clause.tokens, text);
  const condition = clause.tokens.slice(afterConnectors(clause.tokens), conditionEnd);
  if (conditionEnd > 0 && !isConditionOnOthers(condition)) return null;
  const ordered = clause.tokens.slice(conditionEnd);
  // "Please ..." (or "And please ...") asks for something in any source; a bare order is one only in a digest or meeting notes.
  const pleaseAt = CONNECTORS.has(lowerAt(ordered, 0)) && lowerAt(ordered, 1) === "please" ? 1 : 0;
  const asked = lowerAt(ordered, pleaseAt) === "please";
  const afterPlease = asked ? ordered.slice(pleaseAt + 1) : ordered;
  // "Don't put a league table up", "Never show the names": an order not to.
  const not = prohibitionLength(afterPlease);
  const tokens = afterPlease.slice(not);
  // "Is there anything the system must never do?" "Never give out the resident's phone number ...": an order in answer to what must be done.
  const askedWhatMust = clause.sentence.block.asked ? asksWhatMust(clause.sentence.block.asked) : false;
  if (tokens.length < 2 || (!asked && !askedWhatMust && kind !== "ticket_digest" && kind !== "meeting_notes")) return null;
  const [first, verbSecond] = tokens;
  // "Never give out the resident's phone number": the particle of a phrasal verb stands between the verb and its object.
  const second = PARTICLES.has(verbSecond.lower) && tokens[2] ? tokens[2] : verbSecond;
  // "Name, date of birth, club, and a photo": a word followed by a comma heads a list, not an order.
  if (commaBetween(clause.sentence.block.source.text, first, verbSecond)) return null;
  // "Don't forget the minutes", "Don't worry about it": what the people present should (not) do.
  if (not > 0 && (PERSONAL_ORDER_VERBS.has(first.lower) || CHECKING_VERBS.has(first.lower) || DELIBERATION_VERBS.has(first.lower))) return null;
  // "Ignore Kai's cousin generally", "Trust Maria on that": whom to heed, named, is advice to the people present.
  if (ATTENTION_VERBS.has(first.lower) && second.tags.has("ProperNoun")) return null;
  // "Ignore it", "Take it out", "Please ignore that": an order about what was just mentioned names nothing the product must do.
  const pointsBack = POINTING_BACK.has(second.lower) && (tokens.length === 2 || commaBetween(clause.sentence.block.source.text, second, tokens[2]));
  // "Would you want the system to count those?" "Please. Count them, ...": an order that repeats the verb asked about says yes to it.
  const echoesQuestion = clause.sentence.block.asked?.tokens.some((token) => token.tags.has("Verb") && token.root === first.root) === true;
  const objectFollows = (["Determiner", "Adjective", "Value", "Noun"].some((tag) => second.tags.has(tag)) && !second.tags.has("Pronoun") && !pointsBack) || (echoesQuestion && POINTING_BACK.has(second.lower));
  // An order is in the base form: "Got it." reports, it does not instruct.
  // "Including curators, Nick, sorry." is no order: an order's verb is in its base form.
  // "That's a rule of the trust": a contraction is a subject with its verb, never an order's verb.
  const contracted = /['’](?:s|re|ll|d|ve)$/i.test(first.text);
  // "Like \"struggles with roundabouts\"": a verb of liking or knowing at the start gives an example or a view, never an order.
  if (NEVER_ORDERED.has(first.lower)) return null;
  if (contracted || !isVerbWord(first.lower) || !isInfinitiveWord(first.lower) || ["Pronoun", "Plural", "PastTense", "Determiner"].some((tag) => first.tags.has(tag)) || !objectFollows) return null;
  // "Gift Aid.", "Box Office Returns.": a few words all capitalised name a topic being announced, not an order.
  if (tokens.length <= MAX_NAME_WORDS && tokens.every((token) => /^[A-Z]/.test(token.text))) return null;
  // "refund requests are accepted ..." has a verb of its own: "refund" is not an order there.
  // "..., the council asked us that": a remark after a comma is no part of the order.
  const mainEnd = tokens.findIndex((token, index) => SUBORDINATORS.has(token.lower) || token.lower === "because" || (index > 1 && commaBetween(text, tokens[index - 1], token)));
  const mainClause = tokens.slice(1, indexOrEnd(mainEnd, tokens.length));
  if (mainClause.some((token) => token.tags.has("Copula") || token.tags.has("PresentTense") || token.tags.has("PastTense"))) return null;
  const system = asSystem(readSubject([], clause, scope));
  return reading(condition.length > 0 ? { ...system, condition: lowerFirst(renderVoiced(clause, condition, scope.voice)) } : system, "imperative", {
    negative: not > 0,
    predicate: tokens,
    substitutions: new Map([[first, first.lower]]),
    quoteSentence: true,
    notes: [`written as an instruction in "${clause.sentence.block.source.title}"; who it is for is not stated`],
  });
}

/**
 * "If the scale is offline, hold the ticket": a condition on something other than the people present
 * makes the order one for the product. "If you get a minute, send ...", "If in doubt, ask ..." are for
 * whoever listens: their condition names the speakers or no one at all. ("When a visitor arrives I
 * check them in on the spot, boat name, ..." is no condition up to its comma: the speaker's own clause
 * is in it.)
 */
function isConditionOnOthers(condition: readonly Token[]): boolean {
  const [, first] = condition;
  if (!first || NO_ONE_ELSE.has(withoutContraction(first.lower))) return false;
  if (condition.slice(1).some((token) => SPEAKERS.has(withoutContraction(token.lower)))) return false;
  return condition.slice(1).some((token) => token.tags.has("Verb") || /['’]s$/.test(token.text));
}
const SPEAKERS = new Set(["you", "we", "i"]);
const NO_ONE_ELSE = new Set([...SPEAKERS, "in", "possible", "necessary", "needed", "so", "not", "unsure"]);

/** How many words say "don't", "do not" or "never" at the start of an order; 0 when it says none. */
function prohibitionLength(tokens: readonly Token[]): number {
  const first = lowerAt(tokens as Token[], 0).replace(/’/g, "'");
  if (first === "don't" || first === "dont" || first === "never") return 1;
  return first === "do" && lowerAt(tokens as Token[], 1) === "not" ? 2 : 0;
}

/** A name announced as a topic is this short at most. */
const MAX_NAME_WORDS = 3;

// What follows a decision written in note style: "uploaded by HSE", "lifted only by the manager", "sent nightly".
const SHORTHAND_FOLLOWERS = new Set(["by", "only", "per", "automatically", "daily", "weekly", "monthly", "nightly", "hourly"]);
const SHORTHAND_TIMINGS = ["straight away", "right away", "immediately", "instantly", "at once", "in real time", "automatically"];

/** Participles without "-ed", which the tagger often reads as nouns: "shelf life set per beer". */
const IRREGULAR_PARTICIPLES = new Set(["set", "kept", "sent", "held", "paid", "made", "done", "shown", "given", "written", "sold", "built", "run", "shut", "split", "spent", "told", "found", "chosen", "taken", "seen", "known", "read", "put", "cut"]);

/** "Contractors' certificates uploaded and approved by HSE.": a decision noted without its "must be". */
function readShorthand(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  // "changes pushed to ...": a plural the tagger reads as a verb, right before the participle, is the subject's noun;
  // "gets" is no noun ("the test result gets logged" is a passive, read elsewhere).
  const pluralBeforeParticiple = (token: Token, index: number) =>
    token.tags.has("PresentTense") && /s$/.test(token.lower) && token.root !== "get" && tokens[index + 1]?.tags.has("PastTense") === true;
  const firstVerb = tokens.findIndex(
    (token, index) => (token.tags.has("Verb") && !pluralBeforeParticiple(token, index)) || (IRREGULAR_PARTICIPLES.has(token.lower) && SHORTHAND_FOLLOWERS.has(lowerAt(tokens, index + 1))),
  );
  if (firstVerb < 1) return null;
  // "The test result gets logged by whoever ...": a passive with "get" says what must be done as much as one without.
  const getPassive = tokens[firstVerb].root === "get" && tokens[firstVerb + 1]?.tags.has("PastTense") === true;
  const verbAt = getPassive ? firstVerb + 1 : firstVerb;
  const start = CONNECTORS.has(lowerAt(tokens, 0)) ? 1 : 0;
  const subject = tokens.slice(start, firstVerb);
  const nounPhrase =
    subject.length > 0 &&
    subject.every((token, offset) => (["Noun", "Determiner", "Adjective"].some((tag) => token.tags.has(tag)) || pluralBeforeParticiple(token, start + offset)) && (!token.tags.has("Pronoun") || token.tags.has("Possessive")));
  if (!nounPhrase || subject.some((token) => token.tags.has("Person"))) return null;
  const verb = tokens[verbAt];
  // a second participle joined by "and": "uploaded and approved by"
  const joined = lowerAt(tokens, verbAt + 1) === "and" && tokens[verbAt + 2]?.tags.has("PastTense") ? 2 : 0;
  const participle = (verb.tags.has("PastTense") && verb.lower.endsWith("ed")) || IRREGULAR_PARTICIPLES.has(verb.lower);
  // "So changes pushed to the tablet straight away": a when as firm as "straight away" decides it as much as a "by" does.
  const timed = findPhrases(renderWords(clause.sentence.block.source.text, tokens.slice(verbAt + 1)), SHORTHAND_TIMINGS).length > 0;
  if (!participle || !(SHORTHAND_FOLLOWERS.has(lowerAt(tokens, verbAt + 1 + joined)) || timed)) return null;
  return reading(readSubject(subject, clause, scope), "implied", {
    lead: "be",
    predicate: tokens.slice(verbAt),
    notes: ["written in note style without a verb; read as a requirement"],
  });
}


/** How many tokens a condition opening the clause takes, up to its comma ("If ... time,"); 0 when the clause opens with none. */
export function conditionLength(tokens: readonly Token[], text: string): number {
  // "And if ...": the words joining the sentence to the talk before go with the condition.
  const from = afterConnectors(tokens);
  if (!CONDITIONS.has(tokens[from]?.lower ?? "")) return 0;
  // "if nobody accepts within two minutes it goes back ...": said without the comma, the condition ends where a
  // pronoun and its verb begin the main clause, after a verb of the condition's own.
  const main = tokens.findIndex(
    (token, index) =>
      index > from + 2 &&
      MAIN_CLAUSE_PRONOUNS.has(token.lower) &&
      isMainVerb(tokens[index + 1]) &&
      tokens.slice(from + 1, index).some((word) => word.tags.has("Verb") && !word.tags.has("Particle")) &&
      // "when we give it it ...": "it" and "you" may be the condition's object; "When a booking's confirmed I want ...": "I" never is.
      (!tokens[index - 1].tags.has("Verb") || !OBJECT_PRONOUNS.has(token.lower)) &&
      !tokens.slice(from + 1, index).some((word, at) => commaBetween(text, tokens[from + at], word)),
  );
  if (main >= 0) return main;
  const comma = tokens.findIndex((token, index) => index > from + 1 && commaBetween(text, tokens[index - 1], token));
  return comma < 0 ? 0 : comma;
}
const MAIN_CLAUSE_PRONOUNS = new Set(["it", "they", "we", "you", "he", "she", "i"]);
const OBJECT_PRONOUNS = new Set(["it", "you"]);
const isMainVerb = (token: Token | undefined) =>
  token !== undefined && (token.tags.has("Modal") || token.tags.has("Copula") || (token.tags.has("Verb") && token.tags.has("PresentTense") && !token.tags.has("Gerund") && !token.tags.has("Particle")));

/**
 * "They're in thick gloves, in the dark, with the wagon bouncing about, so big buttons and nothing
 * fiddly": what a spoken reason leads to, named after ", so" without a verb of its own, is what the
 * product must provide. ("..., so the office can ring round" has a verb: it is read as any clause is.)
 */
function readThingThatFollows(clause: Clause, scope: Scope): Reading | null {
  const { tokens } = clause;
  const { block } = clause.sentence;
  const text = block.source.text;
  const so = tokens.findIndex((token, index) => index > 1 && token.lower === "so" && commaBetween(text, tokens[index - 1], token));
  if (!block.spoken || so < 0 || !tokens.slice(0, so).some((token) => isClauseVerb(token))) return null;
  const thing = tokens.slice(so + 1);
  // The thing itself ends where a clause about when or where starts ("a few quick questions when they book, ...").
  const named = thing.slice(0, indexOrEnd(thing.findIndex((token, index) => SUBORDINATORS.has(token.lower) || CONDITIONS.has(token.lower) || (index > 0 && commaBetween(text, thing[index - 1], token))), thing.length));
  const first = named[0];
  if (!first || first.tags.has("Pronoun") || !["Determiner", "Value", "Adjective", "Noun"].some((tag) => first.tags.has(tag))) return null;
  if (named.some((token) => isClauseVerb(token)) || !named.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"))) return null;
  if (namesMeetingBusiness(text, first, thing.at(-1)!)) return null;
  return wishedThing(clause, scope, thing, "named as what a reason given before it leads to; say what the system must do");
}
/** A verb that makes a clause: not a gerund or participle; "they're" holds one. */
const isClauseVerb = (token: Token) =>
  (token.tags.has("Verb") && !["Gerund", "Participle", "Infinitive"].some((tag) => token.tags.has(tag))) || token.tags.has("Copula") || token.tags.has("Modal") || /['’](?:re|s|m)$/i.test(token.text);

/**
 * "And if someone cancels?" "Full refund if they cancel by noon the working day before.": in answer
 * to a question, a thing named without a verb, on a condition, is what the product must provide then.
 */
function readThingOnCondition(clause: Clause, scope: Scope): Reading | null {
  const { block } = clause.sentence;
  // "Just an alert if a flat is under fifteen degrees ...": a thing kept to, on a condition, asked for or not.
  const kept = ["just", "only"].includes(lowerAt(clause.tokens, 0));
  const tokens = kept ? clause.tokens.slice(1) : clause.tokens;
  const answers = block.asked !== null && clause.sentence === block.sentences[0];
  if (!block.spoken || !(answers || kept)) return null;
  const condition = tokens.findIndex((token) => CONDITIONS.has(token.lower));
  const thing = tokens.slice(0, Math.max(condition, 0));
  const named = thing.length > 0 && thing.every((token) => isNounPhraseWord(token) && !token.tags.has("Verb"));
  if (!named || !thing.some((token) => token.tags.has("Noun")) || !tokens.slice(condition + 1).some((token) => token.tags.has("Verb"))) return null;
  const note = block.asked && answers ? `implied by the answer to "${sentenceText(block.asked)}", not stated as a requirement` : "named without a verb, on a condition; read as a requirement";
  return reading(asSystem(readSubject([], clause, scope)), "implied", { lead: "provide", predicate: tokens, notes: [note] });
}

/**
 * Whether a question asks what must (or may) be: it has a modal of its own. "If you could change one
 * thing?" imagines; its "could" is the condition's, and the answer names a wish in its own words.
 */
function asksWhatMust(question: Sentence): boolean {
  const modal = findModal(question.tokens);
  return modal !== null && !question.tokens.slice(0, modal.index).some((token) => token.lower === "if");
}

/** An answer to "What must the booking page show?" or "Who should see the schedule?" carries the question's modal. */
function readAnswer(clause: Clause, scope: Scope): Reading | null {
  const question = clause.sentence.block.question?.sentences.at(-1);
  // "Let me think about that.": the speaker's own next step answers nothing about the product.
  if (!question || !asksWhatMust(question) || (lowerAt(clause.tokens, 0) === "let" && ["me", "us"].includes(lowerAt(clause.tokens, 1)))) return null;
  const note = `implied by the answer to "${sentenceText(question)}", not stated as a requirement`;
  return readFragmentAnswer(clause, question, note) ?? readDeclarative(clause, scope, "implied", [note]);
}

/** A present-tense statement read as a rule: "Doctors see their own day." -> "Doctors must be able to see their own day." */
function readDeclarative(clause: Clause, scope: Scope, basis: Basis, notes: string[]): Reading | null {
  const { tokens } = clause;
  const verbAt = declarativeVerb(tokens, clause.sentence.block.source.text);
  if (verbAt < 0) return null;
  let subjectEnd = verbAt;
  // "Companies never book directly": the adverb (or "never") before the verb belongs to the predicate.
  // "And nothing goes in the diary": "nothing" is who (or what) acts, never an adverb.
  const beforeVerb = (index: number) => (tokens[index].tags.has("Adverb") || NEGATIONS.has(tokens[index].lower)) && !NOTHING_AND_NOBODY.has(tokens[index].lower);
  while (subjectEnd > 1 && beforeVerb(subjectEnd - 1)) subjectEnd--;
  // "Never show the names", "Please ignore that": an order, with no subject before its verb.
  if (tokens.slice(0, subjectEnd).every((token) => token.tags.has("Negative") || token.tags.has("Adverb") || token.lower === "please")) return null;
  const verb = tokens[verbAt];
  const fronted = verb.tags.has("Modal") ? frontedObject(tokens.slice(0, subjectEnd), tokens.slice(verbAt + 1), clause.sentence.block.source.text) : null;
  const subject = fronted ? frontedSubject(fronted, clause, scope) : readSubject(tokens.slice(0, subjectEnd), clause, scope);
  if (subject.firstPerson && !fronted) return null;
  const adverbs = tokens.slice(subjectEnd, verbAt);
  if (fronted) return withObject(readAbility(tokens, verbAt, subject, adverbs, basis, notes), fronted.verb, fronted.object, clause);
  if (verb.tags.has("Modal")) return readAbility(tokens, verbAt, subject, adverbs, basis, notes);
  const next = tokens[verbAt + 1];
  const isBe = baseVerb(verb) === "be";
  // "are never counted" -> "must never be counted"
  const predicate =
    isBe && next && ["never", "only", "always", "not"].includes(next.lower)
      ? [...adverbs, next, verb, ...tokens.slice(verbAt + 2)]
      : [...adverbs, ...tokens.slice(verbAt)];
  // "Staff never delete a booking" forbids; it grants no ability.
  const ability = subject.person && !isBe && !adverbs.some((adverb) => adverb.lower === "only" || NEGATIONS.has(adverb.lower));
  return reading(subject, basis, { ability, predicate, notes, substitutions: new Map([[verb, baseVerb(verb)]]) });
}

/** The main verb of a present-tense statement with a subject before it; -1 for narrative (past tense) or none. */
export function declarativeVerb(tokens: Token[], text?: string): number {
  // "Declared when they book, ...": a clause that opens with its verb has no subject before it ("Handheld devices
  // receive ...": a participle before a noun describes it).
  if (tokens[0]?.tags.has("Verb") && tokens[0].tags.has("PastTense") && !(tokens[1]?.tags.has("Noun") && !tokens[1].tags.has("Pronoun"))) return -1;
  // "supervisors and engineers will be", "... and Heathrow warehouses is checked": a word tagged as a verb right
  // before a modal or "is" is a noun of the subject.
  const nounBeforeModal = (index: number) => !isFiniteVerb(tokens[index]) && isFiniteVerb(tokens[index + 1]);
  // "Duty and import VAT are calculated": a word tagged as a verb before a noun and the sentence's "are" qualifies that noun.
  const nounBeforeCopula = (index: number) => tokens[index + 1]?.tags.has("Noun") && !tokens[index + 1].tags.has("Pronoun") && (tokens[index + 2]?.tags.has("Copula") || tokens[index + 2]?.tags.has("Modal"));
  // "Spare parts (tyres, chains, brake pads) are counted": a word in brackets is part of an aside, never the verb.
  const bracketed = (index: number) => text !== undefined && index > 0 && openBrackets(text.slice(tokens[0].start, tokens[index].start)) > 0;
  // "The deadline for orders is": a word tagged as a verb right after a preposition other than "to" is its noun.
  const afterPreposition = (index: number) => tokens[index - 1].tags.has("Preposition") && tokens[index - 1].lower !== "to";
  // "Room types, credits, service intervals and status colours are set": a word after a comma, in a list of nouns
  // that runs on to "are" or a modal, is one of the list's nouns.
  const listed = (index: number) => {
    if (text === undefined || !commaBetween(text, tokens[index - 1], tokens[index])) return false;
    const finite = tokens.findIndex((token, at) => at > index && isFiniteVerb(token));
    const nounLike = (token: Token) => ["Noun", "Adjective", "Determiner", "Conjunction"].some((tag) => token.tags.has(tag)) || (token.tags.has("Verb") && !token.tags.has("PastTense"));
    return finite > index + 1 && tokens.slice(index + 1, finite).every((token) => nounLike(token) && !token.tags.has("Pronoun"));
  };
  // "jumping on": the particle of a phrasal verb is never its verb; "the cut-off": a hyphenated word names a thing.
  const isVerbAt = (token: Token, index: number) =>
    index > 0 &&
    token.tags.has("Verb") &&
    !["Gerund", "Particle", "Hyphenated"].some((tag) => token.tags.has(tag)) &&
    !afterPreposition(index) &&
    !nounBeforeModal(index) &&
    !nounBeforeCopula(index) &&
    !listed(index) &&
    !narrowsSubject(tokens, index) &&
    !bracketed(index);
  let verbAt = tokens.findIndex(isVerbAt);
  // "Requests that make a room unsellable take it out of order": the first verb is the relative clause's, the next one the sentence's.
  const relative = tokens.findIndex((token, index) => index > 0 && index < verbAt && RELATIVES.has(token.lower) && tokens[index - 1].tags.has("Noun") && !tokens[index - 1].tags.has("Pronoun"));
  if (relative > 0 && relative === verbAt - 1) {
    const main = tokens.findIndex((token, index) => index > verbAt + 1 && isVerbAt(token, index) && token.tags.has("PresentTense"));
    if (main > 0) verbAt = main;
  }
  if (verbAt < 1) return -1;
  const verb = tokens[verbAt];
  const narrative = verb.tags.has("PastTense") && !verb.tags.has("Participle") && !verb.tags.has("Passive");
  return narrative || ["was", "were", "had", "did"].includes(verb.lower) ? -1 : verbAt;
}

/**
 * "Guest complaints logged at the front desk become requests": a participle right after a noun,
 * with its phrase, narrows that noun before the sentence's present verb; it is no verb of the sentence.
 */
export function narrowsSubject(tokens: readonly Token[], index: number): boolean {
  if (!tokens[index].tags.has("PastTense") || !tokens[index - 1]?.tags.has("Noun") || tokens[index - 1].tags.has("Pronoun")) return false;
  // "everybody booked gets a text": the participle alone, right before the sentence's present verb.
  const after = tokens[index + 1];
  // ("Karen said refunds were ...": a plural read as a verb, with its own verb after it, is the object of "said".)
  const afterNext = tokens[index + 2];
  if (after?.tags.has("Verb") && after.tags.has("PresentTense") && !after.tags.has("Gerund") && !after.tags.has("Infinitive") && !afterNext?.tags.has("Verb")) return true;
  // ("taken on open days": the tagger may call the preposition a particle.)
  if (!after?.tags.has("Preposition") && !after?.tags.has("Particle")) return false;
  // The sentence's verb may be "is" or a modal ("Photographs taken at events may only be used"); a word tagged as a
  // verb right before one is a noun of the phrase ("Cargo received at our Felixstowe and Heathrow warehouses is checked in").
  const next = tokens.findIndex(
    (token, at) => at > index + 1 && token.tags.has("Verb") && (token.tags.has("PresentTense") || isFiniteVerb(token)) && !isFiniteVerb(tokens[at + 1]),
  );
  // "The team met in March and agrees": a verb joined by "and" is the sentence going on, not the subject's phrase ending
  // ("at Felixstowe and Heathrow" joins two nouns); "Posts made after the guest has left go ...": a verb after "after" is its own clause's.
  return next > 0 && !tokens[next - 1].tags.has("Conjunction") && !tokens.slice(index + 1, next).some((token) => SUBORDINATORS.has(token.lower));
}

/** "is", "are" or a modal: a verb that another finite verb cannot directly precede. */
const isFiniteVerb = (token: Token | undefined) => token !== undefined && (token.tags.has("Copula") || token.tags.has("Modal"));

/** How many brackets the text leaves open. */
export const openBrackets = (text: string) => (text.match(/\(/g) ?? []).length - (text.match(/\)/g) ?? []).length;

/**
 * What a modal of a present-tense statement makes of it: "Ops can copy a shipment" is what the
 * product lets someone do ("must be able to"); a specification's "will" is its "must", and so is a
 * "must" whose verb the tagger missed ("must close" read as an adverb); "may ... only" is a limit
 * as it stands. Other modals ("may change", "would") state a possibility or a guess, not a rule:
 * null. Putting "must" before a modal drafted "must may be down". `rest` is what follows it.
 */
export type ModalSense = "must" | "ability" | "limited_permission";

export function senseOfModal(modal: Token, rest: readonly Token[]): ModalSense | null {
  if (["must", "shall", "will"].includes(modal.lower)) return "must";
  if (modal.lower === "can") return "ability";
  return modal.lower === "may" && rest.some((token) => token.lower === "only") ? "limited_permission" : null;
}

/** A present-tense statement whose verb is a modal, read by what the modal makes of it (senseOfModal). */
function readAbility(tokens: Token[], modalAt: number, subject: Subject, adverbs: Token[], basis: Basis, notes: string[]): Reading | null {
  const predicate = [...adverbs, ...tokens.slice(modalAt + 1)];
  const sense = senseOfModal(tokens[modalAt], predicate);
  if (sense === "must") return reading(subject, basis, { predicate, notes });
  // "may only be used": the verb may come after an adverb.
  const verb = tokens.slice(modalAt + 1).find((token) => !token.tags.has("Adverb"));
  if (sense === null || !verb?.tags.has("Verb")) return null;
  return reading(subject, basis, { ability: sense === "ability", limitedPermission: sense === "limited_permission", predicate, notes });
}

/** "What must the app show on the map?" answered with "Every station, the number of free bikes ..." */
function readFragmentAnswer(clause: Clause, question: Sentence, note: string): Reading | null {
  const { tokens } = clause;
  const subordinate = tokens.findIndex((token) => ["whether", "if", "that", "which", "who"].includes(token.lower));
  const mainPart = subordinate < 0 ? tokens : tokens.slice(0, subordinate);
  if (mainPart.some((token) => token.tags.has("Verb") && !token.tags.has("Gerund"))) return null;
  const asked = parseWhatQuestion(question);
  return asked && reading(asked.subject, "implied", { lead: asked.verb, predicate: tokens, trailing: asked.trailing, notes: [note] });
}

/** "What must the booking page show?" -> subject "the booking page", verb "show", trailing "" */
function parseWhatQuestion(question: Sentence): { subject: Subject; verb: string; trailing: string } | null {
  const { tokens } = question;
  const modal = findModal(tokens);
  if (!["what", "which"].includes(lowerAt(tokens, 0)) || modal?.index !== 1) return null;
  const from = modal.verbIndex;
  let verbAt = tokens.findIndex((token, index) => index > from && token.tags.has("Verb") && !token.tags.has("Gerund"));
  if (verbAt < 0) {
    // compromise often reads a verb at the end of a question as a noun ("What must the page show?")
    const endsPhrase = (index: number) => index === tokens.length - 1 || tokens[index + 1].tags.has("Preposition");
    verbAt = tokens.findLastIndex((token, index) => index > from && isVerbWord(token.lower) && endsPhrase(index));
  }
  if (verbAt <= from) return null;
  const text = question.block.source.text;
  const subjectTokens = tokens.slice(from, verbAt);
  return {
    subject: plainSubject(renderWords(text, subjectTokens), subjectTokens),
    verb: tokens[verbAt].root,
    trailing: renderWords(text, tokens.slice(verbAt + 1)),
  };
}

const indexOrEnd = (index: number, end: number) => (index < 0 ? end : index);

/**
 * The talk of a conversation around its requirements: the meeting talking about itself ("can
 * everyone see my screen", "let's take five"), small talk, and turns of thanks or agreement.
 */
function isChatter(clause: Clause): boolean {
  const { block } = clause.sentence;
  if (!block.spoken) return false;
  const text = clauseText(clause);
  if (findPhrases(text, MEETING_TALK).length > 0 && !requiredAroundMeetingTalk(clause)) return true;
  // Small talk words may name the product's own things ("coffee" in a café app): a modal outweighs them, and so does a
  // wish for something else that names one only further on ("the fixtures ..., no team playing twice on the same weekend").
  if (findPhrases(text, SMALL_TALK).length > 0 && !findModal(clause.tokens) && !smallTalkInPassing(clause)) return true;
  const first = clause.tokens[0];
  // "Results next.", "Pitches next, then.": the meeting moving on to a topic.
  const last = clause.tokens.filter((token) => token.lower !== "then").at(-1);
  if (clause.tokens.length <= 4 && last?.lower === "next" && !findModal(clause.tokens)) return true;
  // "Let's ...": a proposal for what the people present do now.
  if (first.lower === "let's" || (first.lower === "let" && lowerAt(clause.tokens, 1) === "us")) return true;
  // "Thanks everyone", "Sounds good", "Great, makes sense" — a turn of courtesy says nothing about the product.
  const words = text.toLowerCase().replace(/[’]/g, "'").split(/[^\w'-]+/).filter(Boolean);
  // "Right, makes sense": an opening filler before the courtesy changes nothing.
  const opening = words.findIndex((word) => !FILLERS_OPENING.includes(word));
  const courteous = [...COURTESY].some((phrase) => `${words.slice(Math.max(opening, 0)).join(" ")} `.startsWith(`${phrase} `));
  return words.length <= 4 && courteous && !findModal(clause.tokens) && !findWish(clause.tokens);
}

/**
 * "What I want is the fixtures built from the teams entered, with no team playing twice on the same
 * weekend": the thing wished for, and everything before it, is free of small talk, and the words
 * that name it come later, in a phrase of its own. "I'd love a cup of tea" wishes for the small talk itself.
 */
function smallTalkInPassing(clause: Clause): boolean {
  const { tokens } = clause;
  const wish = findWish(tokens);
  if (!wish || wish.shape !== "object") return false;
  let end = wish.restIndex;
  while (end < tokens.length && (isNounPhraseWord(tokens[end]) || tokens[end].lower === "of")) end++;
  const wished = tokens.slice(wish.restIndex, end);
  const text = clause.sentence.block.source.text;
  const upToThing = end > 0 ? text.slice(tokens[0].start, tokens[end - 1].end) : "";
  return wished.some((token) => token.tags.has("Noun")) && tokens.length - end >= MIN_PASSING_WORDS && findPhrases(upToThing, SMALL_TALK).length === 0;
}
const MIN_PASSING_WORDS = 4;

// The people in the room, as a clause names them before its modal: "we need to move on" is about the meeting.
const PEOPLE_PRESENT = new Set(["i", "we", "you", "us", "everyone", "everybody", "let's"]);

/**
 * "The scanner has to keep working and catch up when we're back in range": words that are meeting
 * talk elsewhere ("we're back") inside what a firm obligation about something else requires belong
 * to that requirement. Meeting talk before the modal, or an obligation of the people present, stays talk.
 */
function requiredAroundMeetingTalk(clause: Clause): boolean {
  const modal = findModal(clause.tokens);
  if (!modal || modal.ability || modal.strength !== "firm") return false;
  const before = clause.tokens.slice(0, modal.index);
  // "We'll have to check the minutes": the people present, contracted or not.
  if (before.some((token) => PEOPLE_PRESENT.has(withoutContraction(token.lower)))) return false;
  const upToModal = clause.sentence.block.source.text.slice(clause.start, clause.tokens[modal.index].end);
  return findPhrases(upToModal, MEETING_TALK).length === 0;
}

/** "decide who owns the contract", "check that with legal", "ask them whether ...": a task for the people talking. */
function isFollowUp(predicate: readonly Token[]): boolean {
  const verb = predicate[0];
  if (!verb) return false;
  if (DELIBERATION_VERBS.has(verb.root)) return true;
  if (!CHECKING_VERBS.has(verb.root)) return false;
  const next = predicate[1];
  // "check that with legal" is a follow-up; "check their ID" is work the product supports.
  const pronoun = next !== undefined && next.tags.has("Pronoun") && !next.tags.has("Possessive");
  // "go and look at the site", "visit the depot together": the people present going somewhere.
  return next === undefined || pronoun || ["that", "this", "it", "with", "whether", "if", "about", "back", "into", "out", "up", "and", "to", "over", "down", "round", "there"].includes(next.lower);
}

function startsWithAbility(tokens: Token[]): boolean {
  return lowerAt(tokens, 0) === "be" && lowerAt(tokens, 1) === "able" && lowerAt(tokens, 2) === "to";
}

function skipAbility(tokens: Token[]): Token[] {
  return startsWithAbility(tokens) ? tokens.slice(3) : tokens;
}

