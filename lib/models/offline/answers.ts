import { matchAt, withoutFillers } from "./clauses";
import { findModal, findPhrases, talksOfToday } from "./cues";
import { ANSWER_WORDS, COURTESY, FILLERS_INTERJECTIONS, FILLERS_OPENING, HEDGES, MEETING_TALK, NOTHING_AND_NOBODY, SMALL_TALK, SPEAKERS_AS_OBJECTS, UNDECIDED_ANSWERS, WELCOMING_WORDS } from "./lexicon";
import { commaBetween, isGerund, isInfinitiveWord, isNounPhraseWord, isVerbless, isVerbWord, type Token } from "./nlp";
import { asStatement, baseVerb, headNoun, lowerFirst, renderWords } from "./phrase";
import { clarificationOf, isQuestion, sentenceText, type Sentence } from "./segment";
import { SUBORDINATORS, voicedWords as voiced, withoutContraction, type Voice } from "./subjects";

/**
 * Elliptical answers in any conversation (a transcript, a chat, an interview, an e-mail answering
 * quoted questions): "Yes, by eight the day before." after "When do schools need final numbers?"
 * says nothing alone; with its question it says "Schools must have final numbers by eight the day
 * before." The question is read into a frame (who, which verb phrase, what it asks for), the answer
 * into a yes or no and a fragment, and the statement fills the frame with the fragment. Everything
 * else an answer says is left to the ordinary readers.
 */
export type AnswerReading = {
  statement: string;
  actor: string;
  action: string;
  negative: boolean;
  /** the hedges of the answer ("I guess"), which make the requirement a soft one */
  hedges: string[];
  notes: string[];
};

type Slot = "ahead" | "duration" | "time" | "adverbial" | "count" | "measure" | "actor" | "object";

type Frame = {
  /** null: a yes/no question */
  slot: Slot | null;
  /** the words the wh-word asks about: "quick" of "how quick", "parcels" of "how many parcels" */
  asked: Token[];
  /** null when the answer names it (who-questions) */
  subject: { text: string; actor: string } | null;
  /** can, could: "must be able to" */
  ability: boolean;
  /** is, are: "must be" */
  be: boolean;
  /** "Is there a maximum ...?": the answer gives the figure */
  existential: boolean;
  /** "Do the students hear anything back?": a yes or no question about how things are, not about what is needed */
  asksHowThingsAre: boolean;
  predicate: Token[];
  /** words of the predicate written differently ("needs" -> "have") */
  substitutions: Map<Token, string>;
  /** "If the app goes down, what happens?": the condition the answer holds on */
  condition?: string;
  /** "And the coordinator sees a live list?": a statement asked back, which only an answer taking up its object fills */
  echoOnly?: boolean;
};

type Answer = { polarity: "yes" | "no" | null; adverbs: Token[]; fragment: Token[]; hedges: string[]; othersExcluded?: boolean };

/** The requirement an elliptical answer gives with its question, or null when the answer says more than a fragment (or the question asks nothing of the product). */
/**
 * `earlier`: the question answered a few turns before, whose frame a question without one of its own
 * carries on ("How fast does the scan need to be?" ... "So under a second?" "Under a second, yeah.").
 */
export function readEllipticalAnswer(answer: Sentence, question: Sentence, voice: Voice, earlier: Sentence | null = null): AnswerReading | null {
  if (isQuestion(answer) && !isUptalk(answer)) return null;
  const answerText = sentenceText(answer);
  const questionText = sentenceText(question);
  if ([answerText, questionText].some((text) => findPhrases(text, [...MEETING_TALK, ...SMALL_TALK]).length > 0 || talksOfToday(text))) return null;
  // "At least ten years, I think. We'd have to check.": the whole turn leaves it open.
  if (findPhrases(answer.block.source.text.slice(answer.block.start, answer.block.end), UNDECIDED_ANSWERS).length > 0) return null;
  const topic = questionTopic(question);
  const frame = parseQuestion(question, voice) ?? (earlier && !topic && isFragmentQuestion(question) && !movesOn(question) ? parseQuestion(earlier, voice) : null);
  if (frame) fillAskedWhat(frame, question);
  if (frame?.condition) {
    const consequence = consequenceOf(frame.condition, answer, voice);
    if (consequence) return { ...consequence, hedges: findPhrases(answerText, HEDGES), notes: [`read from the answer "${answerText.trim()}" to the question "${questionText.trim()}"`] };
  }
  const parsed = parseAnswer(answer);
  if (!parsed) return null;
  const read = { ...parsed, othersExcluded: excludesOthers(answer) };
  const statement = frame ? compose(frame, read, question.block.source.text, voice) : topic ? onTopic(topic, read, question.block.source.text, voice) : null;
  if (!statement) return null;
  return {
    ...statement,
    hedges: read.hedges,
    notes: [`read from the answer "${answerText.trim()}" to the question "${questionText.trim()}"`],
  };
}

/** "The artist doing the tattoo and me. Not the apprentices.": the sentence after the answer names who is left out, so the ones named are the only ones. */
function excludesOthers(answer: Sentence): boolean {
  const next = answer.block.sentences[answer.index + 1];
  const named = next?.tokens[1];
  return next?.tokens[0]?.lower === "not" && named !== undefined && ["Determiner", "Noun"].some((tag) => named.tags.has(tag)) && !["Pronoun", "Date"].some((tag) => named.tags.has(tag));
}

/**
 * "Who should be able to see the records?" "The burial records are public, really. ... But the
 * owners' addresses and phone numbers, only our office.": a later sentence of the answer that names
 * a part and who alone may do the question's verb to it. Only this form is read past the answer's
 * first sentence: any other fragment there may answer something said in between.
 */
export function laterNarrowingOf(answer: Sentence, question: Sentence, voice: Voice): AnswerReading | null {
  if (isQuestion(answer) || !isVerbless(answer.tokens)) return null;
  const frame = parseQuestion(question, voice);
  const read = frame?.slot === "actor" ? parseAnswer(answer) : null;
  if (!frame || !read || read.polarity !== null) return null;
  const narrowed = partOnlyFor(frame, read.fragment, question.block.source.text, voice, frame.ability ? "must be able to" : "must");
  if (!narrowed) return null;
  return {
    ...narrowed,
    action: actionOf(frame),
    negative: false,
    hedges: read.hedges,
    notes: [`read from the answer "${sentenceText(answer).trim()}" to the question "${sentenceText(question).trim()}"`],
  };
}

/**
 * "If the app goes down, what happens?" "Then the instructors still need to see today's lessons.":
 * an answer with an obligation of its own says what must hold on the question's condition.
 */
function consequenceOf(condition: string, answer: Sentence, voice: Voice): Omit<AnswerReading, "hedges" | "notes"> | null {
  const text = answer.block.source.text;
  const modal = findModal(answer.tokens);
  if (!modal || modal.strength === "soft") return null;
  const before = answer.tokens.slice(0, modal.index).filter((token) => !CONSEQUENCE_OPENERS.has(token.lower));
  const isAdverb = (token: Token) => token.tags.has("Adverb") || ANSWER_WORDS.adverbsAfterModal.has(token.lower);
  const adverbs = before.filter(isAdverb);
  const subject = before.filter((token) => !isAdverb(token));
  const predicate = answer.tokens.slice(modal.verbIndex);
  if (subject.length === 0 || !subject.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun")) || predicate.length === 0) return null;
  const must = ["must", modal.negative ? "not" : "", ...adverbs.map((token) => token.lower), modal.ability ? "be able to" : ""].filter(Boolean).join(" ");
  const who = voiced(text, subject, voice);
  return { statement: asStatement(`${condition}, ${lowerFirst(who)} ${must} ${voiced(text, predicate, voice)}`), actor: headNoun(subject) ?? "system", action: baseVerb(predicate[0]), negative: modal.negative };
}
const CONSEQUENCE_OPENERS = new Set(["then", "so", "well", "and", "oh"]);

/** "And who sees what? The riders' medical details, for instance.": the words after the question say what its "what" is. */
function fillAskedWhat(frame: Frame, question: Sentence): void {
  const what = frame.predicate.find((token) => token.lower === "what");
  const clarification = what ? clarificationOf(question) : null;
  if (!what || !clarification) return;
  const text = question.block.source.text;
  const words = withoutFillers(text, clarification.tokens);
  const end = words.findIndex((token, index) => index > 0 && commaBetween(text, words[index - 1], token) && EXAMPLE_MARKERS.has(token.lower));
  frame.substitutions.set(what, lowerFirst(renderWords(text, end < 0 ? words : words.slice(0, end))));
}
/** "for instance", "for example", "say", "like": what follows a comma to mark the words before it as an example. */
const EXAMPLE_MARKERS = new Set(["for", "say", "like", "e.g."]);

/** "What about riders booking online?", "How about the vans?": a new subject, not more of the question before. */
function movesOn(question: Sentence): boolean {
  const words = question.tokens.map((token) => token.lower).filter((word) => !OPENERS.has(word));
  return ["what", "how"].includes(words[0]) && words[1] === "about";
}

/**
 * What a question without a verb phrase of its own asks about: "Any rules on X-rays?" -> "X-rays",
 * "Refunds for cancelled sailings?" -> "Refunds for cancelled sailings"; null for a question with a frame.
 */
export function questionTopic(question: Sentence): Token[] | null {
  if (asksThePeoplePresent(question)) return null;
  const text = question.block.source.text;
  let tokens = withoutFillers(text, question.tokens).filter((token) => !OPENERS.has(token.lower));
  // "Last question: payment timing?": what comes before a colon introduces the topic.
  const colon = tokens.findLastIndex((token, index) => index < tokens.length - 1 && text.slice(token.end, tokens[index + 1].start).includes(":"));
  tokens = tokens.slice(colon + 1);
  // "..., Hannah?": the person asked, called by name; "Owen, condition reports?" calls them first.
  const last = tokens.at(-1);
  if (last && tokens.length > 1 && last.tags.has("ProperNoun") && commaBetween(text, tokens.at(-2)!, last)) tokens = tokens.slice(0, -1);
  if (tokens.length > 1 && tokens[0].tags.has("ProperNoun") && commaBetween(text, tokens[0], tokens[1])) tokens = tokens.slice(1);
  // "Farah?": a name alone hands over the turn; it asks about nothing.
  if (tokens.every((token) => token.tags.has("ProperNoun"))) return null;
  // "Anything on how it looks?": the clause after the opener is the topic.
  const onClause = tokens.findIndex((token, index) => index > 0 && TOPIC_PREPOSITIONS.has(token.lower) && WH_WORDS.has(lowerAt(tokens, index + 1)));
  if (onClause > 0 && tokens.slice(0, onClause).every((token) => TOPIC_OPENERS.has(token.lower)) && tokens.length - onClause > 2) return tokens.slice(onClause + 1);
  if (hasFiniteVerb(tokens)) return null;
  // "what about the production sheet", "any rules on X-rays", "anything about the booking page itself"
  const about = tokens.findIndex((token) => TOPIC_PREPOSITIONS.has(token.lower));
  const opened = tokens.slice(0, about).some((token) => TOPIC_OPENERS.has(token.lower));
  if (about >= 0 && opened && tokens.slice(0, about).every((token) => TOPIC_OPENERS.has(token.lower) || token.tags.has("Noun") || token.tags.has("QuestionWord"))) tokens = tokens.slice(about + 1);
  tokens = tokens.filter((token) => !TOPIC_OPENERS.has(token.lower) && token.lower !== "itself" && token.lower !== "themselves");
  // "cancelled sailings": a participle right before a noun describes it ("Told how, email?" asks about the telling)
  const describing = (token: Token, index: number) => token.tags.has("PastTense") && tokens[index + 1]?.tags.has("Noun") === true && !commaBetween(text, token, tokens[index + 1]);
  // "Refunds?", "Billing?": alone, a plural the tagger reads as a verb and an activity named by its gerund are the topic.
  const misread = tokens.length === 1 && tokens[0].tags.has("Verb") && (tokens[0].tags.has("Gerund") || /s$/.test(tokens[0].lower)) && !COURTESY.has(tokens[0].lower);
  if (misread) return tokens;
  const activity = tokens.length > 1 && tokens[0].tags.has("Gerund") && !NARROWING_GERUNDS.has(tokens[0].lower);
  const nounPhrase =
    tokens.length > 0 &&
    tokens.length <= 8 &&
    tokens.every((token, index) => NOUN_PHRASE_TAGS.some((tag) => token.tags.has(tag)) || token.tags.has("Preposition") || token.lower === "and" || describing(token, index) || (activity && (index === 0 || token.tags.has("Particle"))));
  // "Including curators?" narrows what was just said; a topic starts with what it is about, or with an activity ("And ticking things off?").
  const startsAsPhrase = tokens.length > 0 && (activity || !["Preposition", "Gerund", "Conjunction"].some((tag) => tokens[0].tags.has(tag)));
  return nounPhrase && startsAsPhrase && tokens.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun")) && !tokens.some((token) => token.tags.has("Pronoun")) ? tokens : null;
}

const NARROWING_GERUNDS = new Set(["including", "excluding", "according", "regarding", "concerning", "considering"]);
const { questionOpeners: OPENERS, topicPrepositions: TOPIC_PREPOSITIONS, topicOpeners: TOPIC_OPENERS, indefinites: INDEFINITES } = ANSWER_WORDS;

/** "Anyone seen the van keys?", "Has anybody got a pen?": a question to the people present about something they did or have. */
export function asksThePeoplePresent(question: Sentence): boolean {
  const { tokens } = question;
  const person = tokens.findIndex((token, index) => index <= 1 && INDEFINITES.has(token.lower) && /one|body/.test(token.lower));
  const next = tokens[person + 1];
  return person >= 0 && next !== undefined && (next.tags.has("Participle") || next.tags.has("PastTense") || next.lower === "got");
}

// ---------------------------------------------------------------------------------------------
// The question

/** "So under a second?", "Per sailing, automatically?": no verb, so it asks about what was asked before. */
export function isFragmentQuestion(question: Sentence): boolean {
  return isVerbless(question.tokens);
}

const VOCATIVE_GAP = /^\s*,/;
const PRONOUN_SUBJECTS = new Map([
  ["we", "staff"],
  ["you", "staff"],
  ["it", "system"],
]);
/** "you" and "we" asked are the staff, "it" is the system; null for any other word. */
function pronounSubject(word: string, voice: Voice): { text: string; actor: string } | null {
  const who = PRONOUN_SUBJECTS.get(word);
  return who === "staff" ? { text: voice.staff, actor: "staff" } : who === "system" ? { text: "the system", actor: "system" } : null;
}
const UNRESOLVED_SUBJECTS = new Set(["i", "me", "they", "them", "he", "she", "this", "that", "these", "those", "one"]);
/** Questions whose answer is a figure: how many or much, how long, when, how far ahead. */
const FIGURE_SLOTS = new Set<Slot>(["count", "duration", "time", "ahead"]);
const TOPIC_PRONOUNS = new Set(["they", "it"]);
const MAX_ABOUT_WORDS = 5;

/** "what about the wards, what do they see" -> [the wards, what do they see]; null unless a question follows the topic. */
function aboutThenAsked(tokens: Token[], text: string): [Token[], Token[]] | null {
  if (!["what", "how"].includes(tokens[0]?.lower ?? "") || tokens[1]?.lower !== "about") return null;
  const comma = tokens.findIndex((token, index) => index > 2 && commaBetween(text, tokens[index - 1], token));
  const about = tokens.slice(2, comma);
  if (comma < 0 || about.length > MAX_ABOUT_WORDS || !about.every(isNounPhraseWord) || !tokens[comma].tags.has("QuestionWord")) return null;
  return [about, tokens.slice(comma)];
}

/**
 * "Dan, what do you need?", "Kev, what do you need?": a name called before the question, whether or
 * not the tagger knows it as a name (a capitalised word right before a question word or auxiliary).
 */
function isCalledByName(first: Token, next: Token | undefined): boolean {
  if (!next) return false;
  if (first.tags.has("ProperNoun")) return true;
  return /^[A-Z][a-z]+$/.test(first.text) && !first.tags.has("Pronoun") && (next.tags.has("QuestionWord") || ANSWER_WORDS.auxiliaries.has(next.lower));
}

function parseQuestion(question: Sentence, voice: Voice): Frame | null {
  const text = question.block.source.text;
  let tokens = withoutFillers(text, question.tokens);
  let vocative = false;
  // "What about the wards, what do they see?": the thing named first is who the question's "they" stands for.
  let about: Token[] | null = null;
  // "Kevin, what about ...", "And how fast ...": a name called and the words that open a turn ask nothing.
  for (;;) {
    const first = tokens[0];
    if (!first) return null;
    const named = aboutThenAsked(tokens, text);
    if (named) [about, tokens] = named;
    else if (OPENERS.has(first.lower)) tokens = tokens.slice(1);
    else if (isCalledByName(first, tokens[1]) && VOCATIVE_GAP.test(text.slice(first.end, tokens[1].start))) {
      vocative = true;
      tokens = tokens.slice(1);
    } else break;
  }
  const special = sizingFrame(tokens) ?? trailingWhFrame(tokens, voice) ?? whatHappensFrame(tokens, text, voice) ?? unwantedFrame(tokens);
  if (special) return special;
  const lower = tokens.map((token) => token.lower);
  const slotEntry = ANSWER_WORDS.slots.find(({ words }) => words.split(" ").every((word, index) => lower[index] === word));
  let at = slotEntry ? slotEntry.words.split(" ").length : 0;
  const slot = (slotEntry?.slot ?? null) as Slot | null;
  let asked: Token[] = [];
  if (slot === "measure") {
    // "how quick", "how early": the adjective or adverb asked about
    if (!tokens[at] || !["Adjective", "Adverb"].some((tag) => tokens[at].tags.has(tag))) return null;
    asked = [tokens[at++]];
  } else if (slot === "count" || slot === "object") {
    while (tokens[at] && !ANSWER_WORDS.auxiliaries.has(tokens[at].lower) && ["Noun", "Adjective"].some((tag) => tokens[at].tags.has(tag)) && !tokens[at].tags.has("Pronoun")) {
      asked.push(tokens[at++]);
    }
  }
  const auxiliary = lowerAt(tokens, at);
  // "Who approves dangerous goods?": the wh-word is the subject and the verb follows it.
  if (slot === "actor" && !ANSWER_WORDS.auxiliaries.has(auxiliary) && tokens[at]?.tags.has("PresentTense")) {
    return frameOf({ slot, asked, subject: null, mode: "must", predicate: tokens.slice(at) });
  }
  const mode = ANSWER_WORDS.auxiliaries.get(auxiliary);
  if (!mode) return slot === null ? statementAskedBack(tokens, text, voice) : null;
  at += 1;
  const rest = tokens.slice(at);
  if (rest.length === 0) return null;

  if (slot === "actor") {
    // "Who can see the client list?": the answer is the subject.
    return frameOf({ slot, asked, subject: null, mode, predicate: rest });
  }
  const subjectEnd = mode === "be" ? subjectBeforeComplement(rest) : subjectLength(rest);
  if (subjectEnd === 0) return null;
  let subjectTokens = rest.slice(0, subjectEnd);
  let predicate = rest.slice(subjectEnd);
  // "Do you need the system to scale recipes?": what the people asked want of the system is the system's to do.
  const wanted = subjectTokens.length === 1 && PRONOUN_SUBJECTS.get(subjectTokens[0].lower) === "staff" ? wantedOfSomething(predicate) : null;
  if (wanted) [subjectTokens, predicate] = wanted;
  if (about && subjectTokens.length === 1 && TOPIC_PRONOUNS.has(subjectTokens[0].lower)) subjectTokens = about;
  const head = subjectTokens[0].lower;
  // "And how much notice do they give you?" "We ask for three working days.": a figure asked of "they" is still the figure; the
  // statement keeps "they", which the quality check flags for the reviewer to name.
  const figureOfThem = head === "they" && slot !== null && FIGURE_SLOTS.has(slot);
  if (UNRESOLVED_SUBJECTS.has(head) && subjectTokens.length === 1 && !figureOfThem) return null;
  // "Shall we start with the invoices?", "Shall I share my screen?": what the people talking do next.
  if (auxiliary === "shall" && ["we", "i"].includes(head)) return null;
  // "Callum, are you on the boat?", "Do you want to start?": about the person asked, not the product.
  // "Dan, what do you need on the pontoons?" still asks what the person needs of the product.
  const asksNeed = WANTING.has(predicate[0]?.root ?? "");
  if (head === "you" && ((vocative && !asksNeed) || mode === "be" || ANSWER_WORDS.askingAboutThePerson.has(predicate[0]?.root ?? ""))) return null;
  // "What do you do with the tanks?": how things are done now, not what the product must do.
  if (predicate[0]?.root === "do") return null;
  const existential = head === "there" && mode === "be";
  // "How long are bookings?", "How big are the files?", "How much is the deposit?": with "be", what the answer gives is the complement.
  const asksAmount = slot === "count" && asked.length === 0;
  const asksComplement = mode === "be" && (slot === "duration" || slot === "measure" || asksAmount) && !subjectTokens.some((token) => token.tags.has("Pronoun"));
  if (predicate.length === 0 && !asksComplement) return null;
  // "Is there anything you don't want?" asks for a list, which the answer states for itself.
  if (existential && (predicate.length === 0 || INDEFINITES.has(predicate[0].lower))) return null;
  const pronoun = subjectTokens.length === 1 ? pronounSubject(head, voice) : null;
  const subject = existential ? { text: "there", actor: "system" } : (pronoun ?? { text: voiced(text, subjectTokens, voice), actor: headNoun(subjectTokens) ?? "system" });
  const asksHowThingsAre = slot === null && ["do", "does"].includes(auxiliary) && !WANTING.has(predicate[0]?.root ?? "") && predicate[0]?.lower !== "have";
  return { ...frameOf({ slot, asked, subject, mode, predicate, existential }), asksHowThingsAre };
}

/**
 * "And the coordinator sees a live list?": a statement asked back, its subject a noun phrase of
 * people or things (not "you": "So you keep it on paper?" checks how things are) and its verb in the
 * present tense. Whether it is wanted or only how things are, its yes cannot tell; an answer that
 * takes up its object and says more of it ("A live list, with who's coming ...") specifies it.
 */
function statementAskedBack(tokens: readonly Token[], text: string, voice: Voice): Frame | null {
  const verbAt = tokens.findIndex((token) => !isNounPhraseWord(token) || (token.tags.has("Verb") && token.tags.has("PresentTense")));
  const verb = tokens[verbAt];
  const subject = tokens.slice(0, verbAt);
  if (verbAt < 1 || !verb.tags.has("PresentTense") || ["Copula", "Modal", "Auxiliary", "Gerund"].some((tag) => verb.tags.has(tag)) || verb.negated) return null;
  if (!subject.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun")) || subject.some((token) => token.tags.has("Pronoun"))) return null;
  if (tokens.length - verbAt < 3) return null;
  const frame = frameOf({ slot: null, asked: [], subject: { text: voiced(text, subject, voice), actor: headNoun(subject) ?? "system" }, mode: "must", predicate: tokens.slice(verbAt) });
  return { ...frame, asksHowThingsAre: true, echoOnly: true };
}

/** "It's about, uh, six thousand a year?": a figure said with a rising voice answers; it asks nothing (no question word or auxiliary opens it). */
function isUptalk(answer: Sentence): boolean {
  const opener = answer.tokens.find((token) => !FILLERS_INTERJECTIONS.includes(token.lower));
  return opener !== undefined && !opener.tags.has("QuestionWord") && !ANSWER_WORDS.auxiliaries.has(opener.lower) && !INVERTED_AUXILIARIES.has(opener.lower) && answer.tokens.some((token) => token.tags.has("Value"));
}
const INVERTED_AUXILIARIES = new Set(["is", "are", "was", "were", "have", "has", "did", "can", "could", "may", "might"]);

const RATE_WORDS = new Set(["a", "per", "each", "every"]);
const RATE_PERIODS = new Set(["year", "month", "week", "day", "night", "term", "season", "hour"]);

/** "How many riders are we talking about?", "Speed, how many people?": the people present ask the size of what the product must handle. */
function sizingFrame(tokens: readonly Token[]): Frame | null {
  const how = tokens.findIndex((token, index) => token.lower === "how" && lowerAt(tokens, index + 1) === "many");
  if (how < 0) return null;
  let at = how + 2;
  const asked: Token[] = [];
  while (tokens[at]?.tags.has("Noun") && !tokens[at].tags.has("Pronoun")) asked.push(tokens[at++]);
  // "How many trips a year are we talking?": a rate belongs to what is counted.
  if (asked.length > 0 && RATE_WORDS.has(lowerAt(tokens, at)) && RATE_PERIODS.has(tokens[at + 1]?.root ?? "")) asked.push(tokens[at++], tokens[at++]);
  const bare = at === tokens.length;
  const talking = ["are", "were"].includes(lowerAt(tokens, at)) && PEOPLE_PRESENT.has(lowerAt(tokens, at + 1)) && SIZING_VERBS.has(tokens[at + 2]?.root ?? "");
  // "How many people would be using it?", "How many staff will use the app?": how many the product serves.
  const using = FUTURE_AUXILIARIES.has(lowerAt(tokens, at)) && tokens.slice(at + 1).some((token) => token.root === "use" && token.tags.has("Verb"));
  // "How many people listen online at once?": how many at the same time is a load.
  const atOnce = findPhrases(tokens.slice(at).map((token) => token.lower).join(" "), AT_ONCE).length > 0;
  if (asked.length === 0 || !(bare || talking || using || atOnce)) return null;
  const many = tokens[how + 1];
  const frame = frameOf({ slot: "count", asked, subject: { text: "the system", actor: "system" }, mode: "must", predicate: [many] });
  // No word of the question says what the product does with the figure: "many" stands in for "handle".
  frame.substitutions.set(many, "handle");
  return frame;
}

/**
 * "And they'd log in with what?", "The driver gets a list in what order?" asks in the order of a
 * statement, its question word last after a preposition: the answer ("NHS login ideally.") fills it.
 */
function trailingWhFrame(tokens: readonly Token[], voice: Voice): Frame | null {
  const last = tokens.at(-1);
  if (tokens.length < 4 || !last || !TRAILING_QUESTION_WORDS.has(last.lower) || !tokens.at(-2)!.tags.has("Preposition")) return null;
  const head = withoutContraction(tokens[0].lower);
  const named = tokens[0].tags.has("Determiner") && tokens[1].tags.has("Noun") && !tokens[1].tags.has("Pronoun");
  const subject =
    pronounSubject(head, voice) ?? (head === "they" ? { text: "they", actor: "user" } : named ? { text: `${tokens[0].lower} ${tokens[1].text}`, actor: tokens[1].root } : null);
  let at = named ? 2 : 1;
  while (tokens[at] && ANSWER_WORDS.auxiliaries.has(tokens[at].lower)) at++;
  const predicate = tokens.slice(at, -1);
  if (!subject || !predicate[0]?.tags.has("Verb")) return null;
  return frameOf({ slot: "adverbial", asked: [], subject, mode: "must", predicate });
}
const TRAILING_QUESTION_WORDS = new Set(["what", "which", "whom", "who"]);

/**
 * "When it is ready, what happens?" asks what the product does then: the answer ("A text saying it's
 * ready to collect, with the shelf number.") is what it must provide, on that condition.
 */
function whatHappensFrame(tokens: readonly Token[], text: string, voice: Voice): Frame | null {
  const what = tokens.findIndex((token, index) => token.lower === "what" && tokens[index + 1]?.root === "happen");
  const rest = tokens.slice(what + 2).map((token) => token.lower);
  if (what < 1 || !rest.every((word) => ["then", "next"].includes(word)) || !SUBORDINATORS.has(tokens[0].lower)) return null;
  const condition = voiced(text, tokens.slice(0, what), voice);
  const happens = tokens[what + 1];
  const frame = frameOf({ slot: "adverbial", asked: [], subject: { text: `${lowerFirst(condition)}, the system`, actor: "system" }, mode: "must", predicate: [happens] });
  frame.condition = lowerFirst(condition);
  // The question's verb asks what happens; what must happen is given, so the product provides it.
  frame.substitutions.set(happens, "provide");
  return frame;
}
const WH_WORDS = new Set(["how", "what", "where", "when", "who", "which"]);

/**
 * "Anything you definitely don't want?", "What would you not want to see?": the answer ("Long forms.")
 * names what the product must avoid.
 */
function unwantedFrame(tokens: readonly Token[]): Frame | null {
  const asks = ["anything", "what"].includes(tokens[0]?.lower ?? "");
  const want = tokens.findIndex((token, index) => token.root === "want" && index > 0 && REFUSING.has(tokens[index - 1].lower));
  if (!asks || want < 0) return null;
  const frame = frameOf({ slot: "object", asked: [], subject: { text: "the system", actor: "system" }, mode: "must", predicate: [tokens[want]] });
  frame.substitutions.set(tokens[want], "avoid");
  return frame;
}
const REFUSING = new Set(["don't", "dont", "not", "never", "wouldn't"]);

/** "need the system to scale recipes" -> ["the system", "scale recipes"]; null for any other predicate. */
function wantedOfSomething(predicate: readonly Token[]): [Token[], Token[]] | null {
  if (!WANTING.has(predicate[0]?.root ?? "")) return null;
  const to = predicate.findIndex((token, index) => index > 1 && token.lower === "to");
  const verb = predicate[to + 1];
  if (to < 0 || !verb || !couldBeBaseVerb(verb) || !predicate.slice(1, to).every((token) => couldBeInNounPhrase(token) && !token.tags.has("Pronoun"))) return null;
  return [predicate.slice(1, to), predicate.slice(to + 1)];
}
const WELCOMING = /^(?:that|it)(?:['’]d| would)? (?:be )?(?:really |very )?([a-z]+)$/i;
const DOUBTING = /^(?:i )?(?:don['’]t|do not) think so$/i;
const WANTING = new Set(["need", "want", "expect", "require", "like"]);
const PEOPLE_PRESENT = new Set(["we", "you"]);
/** "talking about", "looking at", "dealing with": how the people present speak of a size. */
const SIZING_VERBS = new Set(["talk", "look", "deal"]);
const FUTURE_AUXILIARIES = new Set(["would", "will", "could", "might"]);
const AT_ONCE = ["at once", "at the same time", "at a time", "at peak", "simultaneously", "concurrently"];
const FIGURE_RANGE_WORDS = new Set(["or", "to"]);

function frameOf(parts: { slot: Slot | null; asked: Token[]; subject: Frame["subject"]; mode: string; predicate: Token[]; existential?: boolean }): Frame {
  let predicate = parts.predicate;
  let ability = parts.mode === "able";
  const substitutions = new Map<Token, string>();
  const words = predicate.map((token) => token.lower);
  // "need to be", "have to track": the statement's "must" says it already; but "How long do customers have to send it back?" asks how long they may.
  if (["need", "needs", "have", "has"].includes(words[0]) && words[1] === "to") {
    predicate = predicate.slice(2);
    ability ||= parts.slot === "duration" && ["have", "has"].includes(words[0]);
  }
  else if (words[0] === "be" && words[1] === "able" && words[2] === "to") {
    predicate = predicate.slice(3);
    ability = true;
  } else if (["need", "needs"].includes(words[0])) substitutions.set(predicate[0], "have");
  const first = predicate[0];
  if (first && parts.mode !== "be" && !substitutions.has(first) && first.tags.has("Verb") && !first.tags.has("Gerund") && !first.tags.has("Participle")) substitutions.set(first, baseVerb(first));
  return { slot: parts.slot, asked: parts.asked, subject: parts.subject, ability, be: parts.mode === "be" && !parts.existential, existential: parts.existential ?? false, asksHowThingsAre: false, predicate, substitutions };
}

/**
 * Where the subject of a question ends: the verb after it is in its base form ("When do vehicle
 * bookings close"). compromise tags questions poorly, so the split is the last place where every
 * word before could be part of a noun phrase and the word after could be a verb.
 */
function subjectLength(tokens: readonly Token[]): number {
  const first = tokens[0];
  if (first.tags.has("Pronoun") || first.lower === "there") return 1;
  let best = 0;
  for (let at = 1; at < tokens.length; at++) {
    const before = tokens[at - 1];
    if (!couldBeInNounPhrase(before)) break;
    if (couldBeBaseVerb(tokens[at]) && !before.tags.has("Determiner")) best = at;
  }
  return best;
}

/** "Is the desk allowed to refund?", "Are results sent by text?": the subject ends where its complement starts. */
function subjectBeforeComplement(tokens: readonly Token[]): number {
  const first = tokens[0];
  if (first.tags.has("Pronoun") || first.lower === "there") return 1;
  const end = tokens.findIndex((token, index) => {
    if (index === 0) return false;
    if (["Preposition", "Adverb", "Gerund", "PastTense", "Participle"].some((tag) => token.tags.has(tag))) return true;
    return token.tags.has("Adjective") && tokens[index - 1].tags.has("Noun");
  });
  // "How long are bookings?": the subject is all there is; the answer is its complement.
  if (end < 0) return tokens.every(couldBeInNounPhrase) ? tokens.length : 0;
  return end;
}

const NOUN_PHRASE_TAGS = ["Noun", "Adjective", "Determiner", "Value", "Possessive", "Hyphenated"];

function couldBeInNounPhrase(token: Token): boolean {
  // compromise reads a plural in a question as a verb ("When do vehicle bookings close"): "bookings" is still a noun.
  return NOUN_PHRASE_TAGS.some((tag) => token.tags.has(tag)) || (/s$/.test(token.lower) && token.tags.has("PresentTense"));
}

function couldBeBaseVerb(token: Token): boolean {
  if (["Determiner", "Preposition", "Pronoun", "Conjunction", "Value"].some((tag) => token.tags.has(tag)) && token.lower !== "be") return false;
  if (!isInfinitiveWord(token.lower)) return false;
  // "bookings", "orders": a form with -s is a plural or a third person, never the verb after "do"
  return !(/s$/.test(token.lower) && isInfinitiveWord(token.lower.slice(0, -1)));
}

// ---------------------------------------------------------------------------------------------
// The answer

/** "Has to.", "It must.", "Oh, it's got to.": a sentence that is nothing but a yes that the thing is needed. */
function isEmphaticYes(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token) => !FILLERS_INTERJECTIONS.includes(token.lower) && /\w/.test(token.text)).map((token) => token.lower.replace(/’/g, "'"));
  return words.length > 0 && ANSWER_WORDS.emphaticYes.includes(words.join(" "));
}

/** Whether a sentence opens with a yes ("Yes, ...", "Exactly.") or is an emphatic one ("Has to."). */
export function saysYes(tokens: readonly Token[]): boolean {
  const first = tokens.find((token) => !FILLERS_INTERJECTIONS.includes(token.lower));
  return (first !== undefined && ANSWER_WORDS.affirmative.includes(first.lower)) || isEmphaticYes(tokens);
}

function parseAnswer(answer: Sentence): Answer | null {
  const text = answer.block.source.text;
  if (isEmphaticYes(answer.tokens)) return { polarity: "yes", adverbs: [], fragment: [], hedges: [] };
  let tokens = answer.tokens;
  // "Oh, yes", "Um, no": interjections before the yes or no
  while (tokens.length > 0 && FILLERS_INTERJECTIONS.includes(tokens[0].lower)) tokens = tokens.slice(1);
  const spoken = tokens.map((token) => token.lower.replace(/’/g, "'")).join(" ");
  const startsWith = (phrases: readonly string[]) => phrases.filter((phrase) => `${spoken} `.startsWith(`${phrase} `)).sort((a, b) => b.length - a.length)[0];
  const yes = startsWith(ANSWER_WORDS.affirmative);
  const no = startsWith(ANSWER_WORDS.negative);
  const said = yes ?? no;
  let polarity: Answer["polarity"] = null;
  if (said) {
    polarity = yes ? "yes" : "no";
    // "never" says no and stays in the statement as its adverb
    if (said !== "never") tokens = tokens.slice(said.split(" ").length);
  }
  // "Yes, that would be great.", "No, I don't think so.": what only says how welcome the thing is, or doubts it, says yes or no.
  const rest = tokens.map((token) => token.text).join(" ");
  const welcomed = WELCOMING.exec(rest)?.[1]?.toLowerCase();
  if ((polarity === "yes" && welcomed !== undefined && WELCOMING_WORDS.has(welcomed)) || (polarity === "no" && DOUBTING.test(rest))) tokens = [];
  tokens = withoutFillers(text, tokens);
  // "We ask for three working days.", "We need about forty.": the speakers asking for a figure give it.
  const asking = matchAt(tokens, 0, ANSWER_WORDS.askingForFigure);
  const approximate = matchAt(tokens, asking, ANSWER_WORDS.approximations);
  if (asking > 0 && tokens[asking + approximate]?.tags.has("Value")) tokens = tokens.slice(asking);
  // "It's four hundred members tops": "it's" before a figure only points at what was asked.
  if (tokens.length > 1 && DUMMY_SUBJECT.test(tokens[0].lower) && tokens.slice(1, 4).some((token) => token.tags.has("Value"))) tokens = tokens.slice(1);
  // "Under a second, yeah.": a yes or a filler after the fragment
  while (tokens.length > 0 && [...FILLERS_OPENING, ...ANSWER_WORDS.affirmative, ...ANSWER_WORDS.trailing].includes(tokens.at(-1)!.lower)) tokens = tokens.slice(0, -1);
  const cut = cutAtClause(text, tokens);
  // A fragment with a verb of its own, or fronted before a clause of its own ("First thing, I walk the cellar"), is a statement for the ordinary readers.
  if (cut === null) return null;
  const fragment = [...cut];
  if (hasFiniteVerb(withoutEmbeddedQuestions(fragment, text))) return null;
  const adverbs: Token[] = [];
  while (fragment.length > 0 && ANSWER_WORDS.adverbsAfterModal.has(fragment[0].lower)) adverbs.push(fragment.shift()!);
  if (polarity === null && !fragment.some(hasContent)) return null;
  return { polarity, adverbs, fragment, hedges: findPhrases(sentenceText(answer), HEDGES) };
}

/**
 * "three in any six months, then the agency has to refer them again": the fragment ends where a
 * connector starts a clause of its own; null when a clause with its own subject follows the fragment.
 */
function cutAtClause(text: string, tokens: Token[]): Token[] | null {
  for (let index = 1; index < tokens.length; index++) {
    if (!/[,;:—–]|\s-\s/.test(text.slice(tokens[index - 1].end, tokens[index].start))) continue;
    const clause = tokens.slice(index, index + 6);
    // "four hundred members tops, it's not Amazon": a remark on the figure, not part of it.
    if (ANSWER_WORDS.clauseAfterComma.has(tokens[index].lower) || DUMMY_SUBJECT.test(tokens[index].lower)) return tokens.slice(0, index);
    // "A tablet, something I can use with wet hands": what the thing is like, said after it; the thing is the answer.
    if (APPOSITIVE_HEADS.has(tokens[index].lower) && hasFiniteVerb(clause)) return tokens.slice(0, index);
    if (ANSWER_WORDS.clauseAfterCommaWithVerb.has(tokens[index].lower) && hasFiniteVerb(clause)) return tokens.slice(0, index);
    if (hasFiniteVerb(clause) && ["Pronoun", "Determiner", "Noun"].some((tag) => tokens[index].tags.has(tag))) return null;
  }
  return tokens;
}

/**
 * The words without the questions listed among them: "Occupancy per month, how many nights were let
 * and the income" names three things; the verb of "how many nights were let" is the item's, not the answer's.
 */
function withoutEmbeddedQuestions(tokens: readonly Token[], text: string): Token[] {
  const kept: Token[] = [];
  let inQuestion = false;
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    const listed = previous !== undefined && (commaBetween(text, previous, token) || ["of", "and"].includes(previous.lower));
    if (listed && EMBEDDED_QUESTION_WORDS.has(token.lower)) inQuestion = true;
    else if (inQuestion && previous !== undefined && commaBetween(text, previous, token)) inQuestion = false;
    if (!inQuestion) kept.push(token);
  });
  return kept;
}
const EMBEDDED_QUESTION_WORDS = new Set(["how", "what", "which", "who", "where", "when", "whether"]);

const APPOSITIVE_HEADS = new Set(["something", "anything", "one", "somewhere", "someone"]);

/**
 * A verb with its subject at the start ("the girls tell me"): a clause of its own. "Released to the
 * standby queue" has no subject, and in "to the card they paid with" the verb is inside a phrase.
 */
function hasFiniteVerb(tokens: readonly Token[]): boolean {
  return tokens.some((token, index) => {
    if (ANSWER_WORDS.limitWords.has(token.lower)) return false;
    // "Some of the younger ones would, the sixty-somethings": a modal with its verb left out ends a clause, whatever stands before it.
    if (token.tags.has("Modal") && index > 0 && tokens[index + 1]?.tags.has("Determiner") === true) return true;
    // "When the network's down, ...": a clause of its own may open with a subordinator, not with a preposition;
    // but "Signal at half the grounds is terrible" opens with its subject, and the "is" after its phrase is its verb.
    const afterPhrase = token.tags.has("Copula") && tokens[index - 1]?.tags.has("Noun") && !tokens[index - 1].tags.has("Pronoun") && !tokens[0].tags.has("Preposition");
    if (!afterPhrase && tokens.slice(0, index).some((before) => before.tags.has("Preposition") && !SUBORDINATORS.has(before.lower))) return false;
    if (["Modal", "Copula", "Auxiliary"].some((tag) => token.tags.has(tag)) || token.negated) return true;
    if (!token.tags.has("Verb") || ["Gerund", "Participle", "Hyphenated"].some((tag) => token.tags.has(tag))) return false;
    // "the cashiers still take money": an adverb may stand between the subject and its verb
    const before = tokens.slice(0, index).findLast((candidate) => !candidate.tags.has("Adverb"));
    // "people like me who only ride at weekends": the verb of a relative clause describes the noun before it.
    if (before && ["who", "which"].includes(before.lower)) return false;
    return (token.tags.has("PresentTense") || token.tags.has("PastTense")) && before !== undefined && ["Noun", "Pronoun"].some((tag) => before.tags.has(tag));
  });
}

/** "it's", "that's": a pronoun and its verb in one token, which points at something said before. */
const DUMMY_SUBJECT = /^(?:it|that)['’]s$/;

const hasContent = (token: Token) => ["Noun", "Value", "Adjective"].some((tag) => token.tags.has(tag)) && !token.tags.has("Pronoun");

// ---------------------------------------------------------------------------------------------
// The statement

/** The verb the question asks about, as the requirement's action ("be" for "Is there ...?"). */
const actionOf = (frame: Frame) => (frame.existential ? "be" : (frame.substitutions.get(frame.predicate[0]) ?? frame.predicate[0]?.root ?? "be").split(" ")[0]);

function compose(frame: Frame, answer: Answer, text: string, voice: Voice): Omit<AnswerReading, "hedges" | "notes"> | null {
  const fragment = answer.fragment;
  const fragmentText = fragment.length > 0 ? lowerFirst(voiced(text, fragment, voice)) : "";
  const predicateText = voiced(text, frame.predicate, voice, frame.substitutions);
  const askedText = renderWords(text, frame.asked);
  const adverbs = answer.adverbs.map((token) => token.lower);
  // "Do the students hear anything back?" "Not really, no.": what does not happen today is a complaint, no rule that it must not.
  if (frame.asksHowThingsAre && answer.polarity === "no") return null;
  const negative = (answer.polarity === "no" && frame.slot === null) || adverbs.includes("never");
  const modalAdverbs = frame.slot === "actor" ? adverbs.filter((adverb) => adverb !== "only") : adverbs;
  const must = ["must", negative && !adverbs.includes("never") ? "not" : "", ...modalAdverbs, frame.ability ? "be able to" : "", frame.be ? "be" : ""].filter(Boolean).join(" ");
  const action = actionOf(frame);

  if (frame.slot === "actor") {
    const narrowed = partOnlyFor(frame, fragment, text, voice, must);
    if (narrowed) return { ...narrowed, action, negative };
    // "Who can see the client list?" "Coordinators only."
    // "The manager, nobody else.", "Me and Maria and no one else": who is named alone.
    const exclusive = endsExclusively(fragment);
    const named = exclusive > 0 ? fragment.slice(0, -exclusive) : fragment;
    // "Just the programme controller and me.", "Me and Maria": the speaker named beside others is one of them; a pronoun alone names nobody.
    const speakerBeside = (token: Token, index: number) =>
      SPEAKERS_AS_OBJECTS.has(token.lower) && ((index > 0 && named[index - 1].lower === "and") || (index === 0 && named[1]?.lower === "and" && named.length > 2));
    if (named.length === 0 || named.some((token, index) => token.tags.has("Pronoun") && !speakerBeside(token, index)) || !named.some(hasContent)) return null;
    // "Coordinators only.", "Just the schedulers and the driver on that run.": nobody else.
    const just = named[0]?.lower === "just";
    const only = just || exclusive > 0 || answer.othersExcluded === true || [...answer.adverbs, ...named].some((token) => token.lower === "only");
    const whoTokens = named.filter((token, index) => token.lower !== "only" && !(just && index === 0));
    const who = voiced(text, whoTokens, voice);
    const opening = whoTokens[0]?.tags.has("ProperNoun") ? who : lowerFirst(who);
    return { statement: asStatement(`${only ? "only " : ""}${opening} ${must} ${predicateText}`), actor: headNoun(whoTokens) ?? "user", action, negative };
  }
  const subject = frame.subject!;
  const start = `${subject.text} ${must}`;
  if (frame.echoOnly) return takesUpObject(frame, answer) ? { statement: asStatement(`${start} ${voiced(text, frame.predicate.slice(0, 1), voice, frame.substitutions)} ${fragmentText}`), actor: subject.actor, action, negative: false } : null;
  if (frame.slot === null) {
    // A yes or no fills a yes/no question; "Is there a maximum ...?" takes the figure.
    if (frame.existential) return fragment.some(hasContent) ? { statement: asStatement(`there must be ${predicateText}: ${fragmentText}`), actor: "system", action, negative: false } : null;
    if (answer.polarity === null) return namedIndefinite(frame, fragment, fragmentText, text, voice, start, action);
    if (answer.polarity === "no" && adverbs.includes("only") && fragment.length > 0) return narrowedTo(frame, fragment, fragmentText, text, voice, action);
    return { statement: asStatement(`${start} ${predicateText} ${fragmentText}`), actor: subject.actor, action, negative };
  }
  if (!fragment.some(hasContent)) return null;
  const filled = fillSlot(frame, fragment, fragmentText, predicateText, askedText, text);
  return filled === null ? null : { statement: asStatement(`${start} ${filled}`), actor: subject.actor, action, negative: false };
}

/** "A live list, with who's coming ...": the answer repeats the object asked about (its determiner aside) and says more of it. */
function takesUpObject(frame: Frame, answer: Answer): boolean {
  const words = (tokens: readonly Token[]) => tokens.filter((token) => !token.tags.has("Determiner")).map((token) => token.lower);
  const object = words(frame.predicate.slice(1));
  const fragment = words(answer.fragment);
  return answer.polarity === null && object.length > 0 && fragment.length > object.length && object.every((word, index) => fragment[index] === word);
}

/**
 * "Who should be able to see the records?" "But the owners' addresses and phone numbers, only our
 * office.": a part of what was asked, then after a comma "only" and who may: only they may do the
 * question's verb to that part.
 */
function partOnlyFor(frame: Frame, fragment: Token[], text: string, voice: Voice, must: string): { statement: string; actor: string } | null {
  const only = fragment.findIndex((token, index) => index > 0 && ["only", "just"].includes(token.lower) && commaBetween(text, fragment[index - 1], token));
  const verb = frame.predicate[0];
  if (only < 0 || !verb?.tags.has("Verb")) return null;
  const part = fragment.slice(PART_OPENERS.has(fragment[0].lower) ? 1 : 0, only);
  const who = fragment.slice(only + 1);
  // "Everyone, just not the volunteers": who is left out, not who alone may.
  if (!part.some(hasContent) || who.some((token) => NEGATIONS_IN_ANSWERS.has(token.lower)) || !who.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"))) return null;
  const verbText = voiced(text, [verb], voice, frame.substitutions);
  return { statement: asStatement(`only ${lowerFirst(voiced(text, who, voice))} ${must} ${verbText} ${lowerFirst(voiced(text, part, voice))}`), actor: headNoun(who) ?? "user" };
}
const PART_OPENERS = new Set(["but", "and", "except"]);

/** How many closing tokens say nobody else may ("..., nobody else", "... and no one else"), 0 when none do. */
function endsExclusively(fragment: readonly Token[]): number {
  const words = fragment.map((token) => token.lower.replace(/’/g, "'"));
  const length = ANSWER_WORDS.exclusiveTails.map((phrase) => phrase.split(" ")).find((tail) => words.length > tail.length && words.slice(-tail.length).join(" ") === tail.join(" "))?.length ?? 0;
  return length > 0 && words.at(-length - 1) === "and" ? length + 1 : length;
}
const NEGATIONS_IN_ANSWERS = new Set(["not", "no", "never", "nobody"]);

/**
 * "Can pupils book with any instructor?" "No, only with their own instructor.": the answer narrows
 * what was asked instead of refusing it; its words take the place of the question's phrase that
 * starts with the same preposition, or of its "any ..." phrase. Null when neither is there: a
 * statement glued from both would say something nobody said.
 */
function narrowedTo(frame: Frame, fragment: Token[], fragmentText: string, text: string, voice: Voice, action: string): Omit<AnswerReading, "hedges" | "notes"> | null {
  const preposition = fragment[0].tags.has("Preposition") ? fragment[0].lower : null;
  const at = preposition
    ? frame.predicate.findLastIndex((token) => token.lower === preposition)
    : frame.predicate.findIndex((token, index) => index > 0 && (token.lower === "any" || INDEFINITES.has(token.lower)));
  if (at <= 0) return null;
  const must = ["must", frame.ability ? "be able to" : "", frame.be ? "be" : ""].filter(Boolean).join(" ");
  const kept = voiced(text, frame.predicate.slice(0, at), voice, frame.substitutions);
  return { statement: asStatement(`${frame.subject!.text} ${must} ${kept} only ${fragmentText}`), actor: frame.subject!.actor, action, negative: false };
}

/**
 * "Does it need to talk to anything?" "The university single sign-on.": an answer without a yes
 * or no that names a thing says what the question's "anything" is.
 */
function namedIndefinite(frame: Frame, fragment: Token[], fragmentText: string, text: string, voice: Voice, start: string, action: string): Omit<AnswerReading, "hedges" | "notes"> | null {
  const indefinite = frame.predicate.find((token, index) => index > 0 && INDEFINITES.has(token.lower) && token.lower !== "nothing" && token.lower !== "everything");
  if (!indefinite || !fragment.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"))) return null;
  const filled = voiced(text, frame.predicate, voice, new Map([...frame.substitutions, [indefinite, fragmentText]]));
  return { statement: asStatement(`${start} ${filled}`), actor: frame.subject!.actor, action, negative: false };
}

/** "Text them the day before", "Send a receipt": a verb in its plain form, then who or what it acts on. */
function isOrder(tokens: readonly Token[]): boolean {
  const [verb, object] = tokens;
  return verb !== undefined && object !== undefined && isVerbWord(verb.lower) && isInfinitiveWord(verb.lower) && (OBJECT_WORDS.has(object.lower) || object.tags.has("Determiner"));
}
const OBJECT_WORDS = new Set(["them", "him", "her", "us", "me", "it", "everyone", "everybody"]);

// "Insurance claims." after "Anything on the money side?" heads what follows; a fragment that states something is longer.
const MIN_TOPIC_FRAGMENT = 3;

/** "Refunds for cancelled sailings?" "Full refund, automatically, to the card they paid with." */
function onTopic(topic: Token[], answer: Answer, text: string, voice: Voice): Omit<AnswerReading, "hedges" | "notes"> | null {
  const fragment = answer.fragment;
  // Only a fragment that names something: "Yes", "Later" or "Not yet" says nothing of the topic; "Only the public side" narrows it.
  // "Big buttons.": a quality and the thing that has it state something in two words.
  const described = fragment.length === 2 && fragment[0].tags.has("Adjective") && fragment[1].tags.has("Noun");
  if (answer.polarity === "no" || answer.adverbs.length > 0 || (fragment.length < MIN_TOPIC_FRAGMENT && !described) || !fragment.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"))) return null;
  // "Including curators, Nick, sorry." only says yes to the question, in its words.
  const asked = new Set(topic.map((token) => token.root));
  if (fragment.filter(hasContent).every((token) => asked.has(token.root) || token.tags.has("ProperNoun") || COURTESY.has(token.lower))) return null;
  const topicText = lowerFirst(voiced(text, topic, voice));
  // "Reminders?" "Text them the day before.": an order in answer is what the product must do on that topic.
  const order = fragment[0]?.lower === "please" ? fragment.slice(1) : fragment;
  if (isOrder(order)) return { statement: asStatement(`for ${topicText}, the system must ${lowerFirst(voiced(text, order, voice))}`), actor: "system", action: order[0].lower, negative: false };
  // "What about age?" "Nobody under eighteen.": who or what is turned away on that topic, not something to provide.
  const refused = refusalOf(fragment);
  if (refused && fragment.length > refused.length) {
    const who = `${refused.instead} ${voiced(text, fragment.slice(refused.length), voice)}`;
    return { statement: asStatement(`for ${topicText}, the system must not allow ${who}`), actor: "system", action: "allow", negative: true };
  }
  const provided = lowerFirst(voiced(text, fragment, voice));
  return { statement: asStatement(`for ${topicText}, the system must provide ${provided}`), actor: "system", action: "provide", negative: false };
}
/** "Nobody under eighteen", "No one without ID", "No dogs": the words that open a refusal, and what "must not allow" takes instead. */
function refusalOf(fragment: readonly Token[]): { length: number; instead: string } | null {
  const [first, second] = [fragment[0]?.lower, fragment[1]];
  if (first !== undefined && NOTHING_AND_NOBODY.has(first)) return { length: 1, instead: first === "nothing" ? "anything" : "anybody" };
  if (first === "no" && second?.lower === "one") return { length: 2, instead: "anybody" };
  return first === "no" && second?.tags.has("Noun") ? { length: 1, instead: "any" } : null;
}

const startsWithPreposition = (tokens: readonly Token[]) => tokens[0]?.tags.has("Preposition") || ["up", "within", "under", "over", "before", "after", "by", "until"].includes(tokens[0]?.lower ?? "");

function fillSlot(frame: Frame, fragment: Token[], fragmentText: string, predicateText: string, askedText: string, text: string): string | null {
  switch (frame.slot) {
    case "time": {
      // "Nine o'clock on the day." -> "at nine o'clock on the day"
      const clock = fragment.length > 1 && fragment[0].tags.has("Value") && ANSWER_WORDS.clockWords.has(fragment[1].lower);
      return `${predicateText} ${clock || /^\d{1,2}[:.]\d{2}$/.test(fragment[0].text) ? "at " : ""}${fragmentText}`;
    }
    case "duration":
      // "How long are bookings?" "Half an hour minimum.": the answer is what they must be.
      if (frame.predicate.length === 0) return fragmentText;
      // "How long would you hold them for?": the question's own "for" stays where it was asked.
      return `${predicateText} ${startsWithPreposition(fragment) || /\bfor$/i.test(predicateText) ? "" : "for "}${fragmentText}`;
    case "ahead":
      return `${predicateText} ${fragmentText}${findPhrases(fragmentText, ["ahead", "in advance", "before", "beforehand"]).length > 0 ? "" : " ahead"}`;
    case "adverbial":
      return `${predicateText} ${fragmentText}`;
    case "measure":
      // "How early ...?" "By 4pm the day before.": the answer's own preposition says how; "quick: under a minute" needs the word asked
      if (frame.predicate.length === 0 && startsWithPreposition(fragment)) return fragmentText;
      return startsWithPreposition(fragment) && ["early", "late", "soon"].includes(askedText) ? `${predicateText} ${fragmentText}` : `${predicateText} ${askedText}: ${fragmentText}`;
    case "count": {
      // "How much is the deposit?" "Thirty pounds.": the answer is what it must be.
      if (frame.predicate.length === 0) return fragmentText;
      // "How many parcels can a household get?" "Three in any six months." -> "get three parcels in any six months"
      // "Two or three hundred normally": a range of figures counts as one.
      const inFigure = (index: number) => fragment[index]?.tags.has("Value") || (index > 0 && FIGURE_RANGE_WORDS.has(fragment[index]?.lower ?? "") && fragment[index + 1]?.tags.has("Value"));
      let figureEnd = 0;
      while (inFigure(figureEnd)) figureEnd++;
      // "Five working days." names its own unit: the word asked goes before it, not inside it.
      const afterFigure = fragment[figureEnd];
      const ownUnit = figureEnd > 0 && afterFigure !== undefined && (isNounPhraseWord(afterFigure) || isGerund(afterFigure)) && !commaBetween(text, fragment[figureEnd - 1], afterFigure);
      if (figureEnd > 0 && askedText !== "" && !ownUnit) {
        return `${predicateText} ${lowerFirst(renderWords(text, fragment.slice(0, figureEnd)))} ${askedText} ${renderWords(text, fragment.slice(figureEnd))}`;
      }
      return `${predicateText}${askedText ? ` ${askedText}` : ""}: ${fragmentText}`;
    }
    case "object": {
      // "What should volunteers see when a client checks in?" "Name, household size and dietary needs."
      const verb = frame.predicate[0];
      if (!verb || !couldBeBaseVerb(verb)) return null;
      // "What do you look at (at the end of the month)?": the preposition the question left at its verb goes before what the answer names.
      const particle = frame.predicate[1]?.tags.has("Preposition") && (frame.predicate.length === 2 || frame.predicate[2].tags.has("Preposition")) ? frame.predicate[1] : null;
      const rest = renderWords(text, frame.predicate.slice(particle ? 2 : 1));
      return `${frame.substitutions.get(verb) ?? verb.lower}${particle ? ` ${particle.lower}` : ""} ${fragmentText}${rest ? ` ${rest}` : ""}`;
    }
    default:
      return null;
  }
}

const lowerAt = (tokens: readonly Token[], index: number) => tokens[index]?.lower ?? "";
