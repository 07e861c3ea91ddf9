import { subjectOf, type Clause } from "./clauses";
import { lowerAt } from "./cues";
import { COURTESY } from "./lexicon";
import { commaBetween, isNounPhraseWord, pluralNoun, type Token } from "./nlp";
import { headNoun, lowerFirst, namesPeople, renderWords } from "./phrase";
import { sourceRole } from "./segment";

/**
 * Who must act in a requirement: the subject as written, with "we", "I", "it" and "they"
 * resolved, the speaker filled in when a note leaves the subject out ("Dr. A: wants to ..."),
 * and a leading condition ("When a doctor is sick, ...") or connector ("After that, ...") kept apart.
 */

/** How "we", "us" and "our" read in a requirement: the organisation and its staff. */
export type Voice = { organisation: string; staff: string };

export type Subject = {
  text: string;
  actor: string;
  person: boolean;
  firstPerson: boolean;
  /** "when a doctor is sick" */
  condition: string;
  /** "After that" */
  connector: string;
  notes: string[];
  /** resolved from the clause before, whose words the quote must then include */
  usedPrevious: boolean;
  /** resolved from the topic of the question answered, which the requirement then quotes too */
  usedTopic?: boolean;
  /** It took its words from the sentence before (`Scope.announced`), which must be quoted too. */
  usedAnnounced?: boolean;
};

/**
 * The clause read before this one in the same passage, for pronouns that point back, and the topic
 * of the question the passage answers ("Any rules on X-rays?" makes "They're kept ..." about X-rays).
 */
export type Scope = {
  previous: Clause | null;
  voice: Voice;
  topic?: Token[] | null;
  /** "The cancellation thing. It should be twenty-four hours": what the sentence before named on its own, which "it" takes up. */
  announced?: Token[] | null;
};

export const CONNECTORS = new Set(["also", "and", "but", "so", "plus", "however", "additionally", "furthermore"]);
const CONTINUATIONS = ["after that", "after this", "otherwise", "in that case", "then"];
export const SUBORDINATORS = new Set(["when", "whenever", "if", "once", "after", "before", "while", "unless", "during"]);
const FRAMING_PREPOSITIONS = new Set(["for", "on", "about", "regarding", "with", "in", "at"]);
/** Who acts, never an object: a frame may hold "me" ("For me, on a Thursday, I ..."), not a subject of its own. */
const NOMINATIVE_PRONOUNS = new Set(["i", "we", "they", "he", "she"]);
const SYSTEM_NOTE = (pronoun: string) => `'${pronoun}' in the source could mean more than one thing; read as 'the system'`;

/** "It's gotta show ...", "We've got to ...", "they'd": the pronoun without its contracted verb. */
export const withoutContraction = (word: string) => word.replace(/['’](?:s|ve|re|d|ll)$/, "");

export function readSubject(tokens: readonly Token[], clause: Clause, scope: Scope): Subject {
  const text = clause.sentence.block.source.text;
  let words = tokens.filter((token, index) => index > 0 || !CONNECTORS.has(token.lower));
  while (words.length > 0 && CONNECTORS.has(words[0].lower)) words = words.slice(1);
  // "One thing from the board: they'd like ...": what stands before a colon announces the subject after it.
  const colon = words.findLastIndex((token, index) => index < words.length - 1 && text.slice(token.end, words[index + 1].start).includes(":"));
  if (colon >= 0) words = words.slice(colon + 1);

  const continuation = CONTINUATIONS.find((phrase) => startsWith(words, phrase));
  const connectorLength = continuation ? continuation.split(" ").length : 0;
  const connector = connectorLength > 0 ? renderWords(text, words.slice(0, connectorLength)) : "";
  words = words.slice(connectorLength);

  let condition = "";
  if (words.length > 0 && SUBORDINATORS.has(words[0].lower)) {
    const comma = words.findLastIndex((token, index) => index < words.length - 1 && commaBetween(text, token, words[index + 1]));
    const pronoun = words.findLastIndex((token) => token.tags.has("Pronoun"));
    const split = comma >= 0 ? comma + 1 : pronoun > 0 ? pronoun : nounPhraseAfterCondition(words);
    condition = lowerFirst(renderVoiced(clause, words.slice(0, split), scope.voice));
    words = words.slice(split);
  } else if (words.length > 1 && FRAMING_PREPOSITIONS.has(words[0].lower) && words.at(-1)!.tags.has("Pronoun") && !words.slice(0, -1).some((token) => NOMINATIVE_PRONOUNS.has(withoutContraction(token.lower)))) {
    // "For dissolved oxygen I'd like it ...", "For me, on a Thursday, I need ...": a phrase put first frames the requirement; the pronoun is who speaks.
    condition = lowerFirst(renderVoiced(clause, words.slice(0, -1), scope.voice));
    words = words.slice(-1);
  } else if (words.length > 1 && isCourtesyBeforePronoun(words, text)) {
    // "Thanks for coming, I know ...", "Sorry, we ...": a courtesy before the comma is no part of who acts.
    words = words.slice(-1);
  } else if (isNamedThenResumed(words, text)) {
    // "Youth refs, the under-eighteens, they can't ...", "The managers, they confirm ...": the thing named
    // first is who acts; what follows it, up to the pronoun taking it up again, describes it.
    words = words.slice(0, words.findIndex((token, index) => index < words.length - 1 && commaBetween(text, token, words[index + 1])) + 1);
  }
  const subject = resolveSubject(words, clause, scope);
  return { ...subject, condition, connector };
}

/**
 * "If the patient's on isolation the porter": said without a comma, the condition ends where a noun
 * phrase of its own follows a noun; the words from its determiner on are who acts. Where there is
 * no such phrase, everything is the condition.
 */
function nounPhraseAfterCondition(words: readonly Token[]): number {
  const at = words.findLastIndex((token, index) => index > 1 && SUBJECT_DETERMINERS.has(token.lower) && words[index - 1].tags.has("Noun") && !words[index - 1].tags.has("Pronoun"));
  return at > 0 && at < words.length - 1 && words.slice(at).every(isNounPhraseWord) ? at : words.length;
}
const SUBJECT_DETERMINERS = new Set(["the", "a", "an", "each", "every"]);

/** A noun phrase (or two, between commas), then a comma and a pronoun of the third person that takes it up again. */
function isNamedThenResumed(words: readonly Token[], text: string): boolean {
  const pronoun = words.at(-1);
  if (words.length < 3 || !pronoun || !RESUMING_PRONOUNS.has(withoutContraction(pronoun.lower)) || !commaBetween(text, words.at(-2)!, pronoun)) return false;
  const named = words.slice(0, -1);
  const nounish = (token: Token) => isNounPhraseWord(token) || (token.tags.has("Hyphenated") && !token.tags.has("Pronoun"));
  return named.every((token) => nounish(token) || (token.tags.has("Possessive") && token.tags.has("Pronoun"))) && named.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
}
const RESUMING_PRONOUNS = new Set(["they", "it", "he", "she"]);

const isCourtesyBeforePronoun = (words: readonly Token[], text: string) =>
  COURTESY.has(words[0].lower) && words.at(-1)!.tags.has("Pronoun") && commaBetween(text, words.at(-2)!, words.at(-1)!);

function resolveSubject(words: readonly Token[], clause: Clause, scope: Scope): Subject {
  const { block } = clause.sentence;
  const text = block.source.text;
  if (words.length === 0) {
    if (clause.sharedSubject.length > 0) return resolveSubject(clause.sharedSubject, { ...clause, sharedSubject: [] }, scope);
    const speaker = block.speaker?.actor;
    return speaker ? peopleSubject(speaker) : asSystem(plainSubject("", []));
  }
  const first = withoutContraction(words[0].lower);
  // In a ticket digest, "I" is whoever wrote the ticket.
  if (words.length === 1 && first === "i" && block.source.kind === "ticket_digest") return peopleSubject(sourceRole(block.source) ?? "user");
  if (words.length === 1 && ["i", "me"].includes(first)) {
    return { ...plainSubject(scope.voice.staff, []), actor: "staff", person: true, firstPerson: true };
  }
  // "A few of us should go and look at the site": some of the people present, like "we".
  const ofThosePresent = words.length >= 3 && words.at(-2)!.lower === "of" && ["us", "you"].includes(words.at(-1)!.lower);
  // "So you'd still want the final say": in a conversation, "you'd" asks what the people asked would have, as "we" would say it;
  // a plain "you" is as often anyone at all ("you scan the tag when you take it").
  const peopleAsked = words.length === 1 && /^you['’]d$/.test(words[0].lower) && block.spoken;
  if (first === "we" || first === "us" || ofThosePresent || peopleAsked) {
    // "We at the front desk" names who "we" are.
    const named = ["at", "in", "from", "on"].includes(lowerAt([...words], 1)) ? words.slice(2) : [];
    if (named.length > 0) return { ...plainSubject(renderVoiced(clause, named, scope.voice), named), person: true };
    return { ...plainSubject(scope.voice.staff, []), actor: "staff", person: true, firstPerson: true };
  }
  if (words.length === 1 && first === "it" && scope.announced && scope.announced.length > 0) {
    const resolved = voicedWords(text, scope.announced, scope.voice);
    return { ...plainSubject(resolved, scope.announced), notes: [`'${words[0].text}' read as '${lowerFirst(resolved)}', named just before`], usedAnnounced: true };
  }
  if (words.length === 1 && ["it", "this", "that"].includes(first)) {
    // "That should just come out of the system": what the clause says of the system, "that" is not ("it should integrate with the payroll system" is).
    const namesTheSystem = clause.tokens.some((token, index) => token.lower === "system" && ["the", "this", "our", "your"].includes(clause.tokens[index - 1]?.lower ?? ""));
    if (namesTheSystem) return { ...plainSubject(words[0].text, []), notes: [`it is unclear what '${words[0].text}' is`] };
    return { ...asSystem(plainSubject("", [])), notes: [SYSTEM_NOTE(words[0].text)] };
  }
  if (words.length === 1 && ["they", "these", "those", "them"].includes(first)) {
    const earlier = scope.previous ? withoutLeadingConnectors(subjectOf(scope.previous.tokens)) : [];
    // "Not email. And they ...", "Sixty. They ...": words before a verb that name nobody are no subject to point back to.
    if (earlier.some((token) => !["Negative", "Adverb", "Value"].some((tag) => token.tags.has(tag))) && !earlier.some((token) => token.tags.has("Pronoun"))) {
      const resolved = renderVoiced(scope.previous!, earlier, scope.voice);
      return { ...plainSubject(resolved, earlier), notes: [`'${words[0].text}' read as '${lowerFirst(resolved)}'`], usedPrevious: true };
    }
    if (!scope.previous && scope.topic && scope.topic.length > 0) {
      const resolved = voicedWords(text, scope.topic, scope.voice);
      return { ...plainSubject(resolved, scope.topic), notes: [`'${words[0].text}' read as '${lowerFirst(resolved)}', what the question asked about`], usedTopic: true };
    }
    // "I'd like them to sign up": the object of the wish is the subject of the requirement; "they'd" keeps its pronoun only.
    return { ...plainSubject(first === "them" ? "they" : first, []), person: true, notes: [`it is unclear who '${words[0].text}' are`] };
  }
  return plainSubject(renderVoiced(clause, words, scope.voice), words);
}

/** "And the associations" -> "the associations". */
function withoutLeadingConnectors(tokens: readonly Token[]): Token[] {
  let at = 0;
  while (at < tokens.length && CONNECTORS.has(tokens[at].lower)) at++;
  return tokens.slice(at);
}

export function plainSubject(text: string, tokens: readonly Token[]): Subject {
  return {
    text,
    actor: headNoun(tokens) ?? "system",
    person: namesPeople(tokens),
    firstPerson: false,
    condition: "",
    connector: "",
    notes: [],
    usedPrevious: false,
  };
}

function peopleSubject(role: string): Subject {
  return { ...plainSubject(pluralNoun(role), []), actor: role, person: true };
}

export function asSystem(subject: Subject): Subject {
  return { ...subject, text: "the system", actor: "system", person: false, firstPerson: false };
}

/** Whoever wants to do something: the people named, else the speaker, else the people a digest is about. */
export function forPeople(subject: Subject, clause: Clause): Subject {
  if (subject.person && !subject.firstPerson) return subject;
  const { block } = clause.sentence;
  const role = block.source.kind === "ticket_digest" ? sourceRole(block.source) : block.speaker?.actor ?? null;
  if (role) return keepFraming(subject, peopleSubject(role));
  return subject.firstPerson ? subject : keepFraming(subject, peopleSubject("user"));
}

const keepFraming = (from: Subject, to: Subject): Subject => ({ ...to, condition: from.condition, connector: from.connector, notes: from.notes });

/** Source words with "we", "us" and "our" read as the organisation and its staff. */
export function renderVoiced(clause: Clause, tokens: readonly Token[], voice: Voice, substitutions: ReadonlyMap<Token, string> = new Map()): string {
  return voicedWords(clause.sentence.block.source.text, tokens, voice, substitutions);
}

/** renderVoiced for words of any passage of `text`. */
export function voicedWords(text: string, tokens: readonly Token[], voice: Voice, substitutions: ReadonlyMap<Token, string> = new Map()): string {
  const voiced = new Map(substitutions);
  for (const token of tokens) {
    if (voiced.has(token)) continue;
    if (token.lower === "we") voiced.set(token, voice.staff);
    else if (token.lower === "us") voiced.set(token, `the ${voice.organisation}`);
    else if (token.lower === "our") voiced.set(token, `the ${voice.organisation}'s`);
  }
  return renderWords(text, tokens, voiced);
}

function startsWith(tokens: readonly Token[], phrase: string): boolean {
  return phrase.split(" ").every((word, index) => tokens[index]?.lower === word);
}

