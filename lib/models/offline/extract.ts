import type { SourceQuote } from "@/lib/requirements/schema";
import { asksThePeoplePresent, isFragmentQuestion, questionTopic, readEllipticalAnswer, laterNarrowingOf, saysYes, type AnswerReading } from "./answers";
import { splitClauses, subjectOf, type Clause } from "./clauses";
import { findModal, findPhrases, findWish, lowerAt, talksOfToday, type Strength } from "./cues";
import { ADDITION_OPENERS, ANSWER_WORDS, CONCESSIONS, CONDITIONAL_ACCEPTANCES, COURTESY, CORRECTION_MARKERS, CORRECTION_VALUES, DESIRED_STATE_QUESTIONS, DISCUSSION_MARKERS, ESTIMATE_MARKERS, EXAMPLE_TAILS, FILLERS_OPENING, HABITS_OF_TODAY, HEDGED_TAIL_STARTERS, HEDGES, INCIDENT_REPORTS, INSTRUCTIONS_TO_TOOLS, MEETING_NOUNS, MEETING_TALK, MEETING_TIMES, POINTING_BACK, REPEAT_REQUESTS, RESTATEMENT_LEADS, RULE_REPORTING_VERBS, RULE_SETTERS, SMALL_TALK, SPEAKERS_AS_OBJECTS, SUGGESTION_OPENERS } from "./lexicon";
import { commaBetween, isGerund, isInfinitiveWord, isNounPhraseWord, isVerbless, isVerbWord, toPresentTense, verbOfGerund, type Token } from "./nlp";
import { afterHeading, asStatement, baseVerb, CONDITIONS, gerundPhrase, headNoun, lowerFirst, namesPeople, relativePhrase, renderWords } from "./phrase";
import { afterConnectors, askingToGet, askingToMakeSure, conditionLength, declarativeVerb, isExasperation, isRealVerb, narrowsSubject, NEGATIONS, openBrackets, readClause, senseOfModal, SUGGESTED_DETERMINERS, type Basis, type Reading } from "./readings";
import { isQuestion, sentenceText, type Block, type Sentence, type Source } from "./segment";
import { termsOf } from "./terms";
import { CONNECTORS, readSubject, renderVoiced, voicedWords, type Scope, type Voice } from "./subjects";

/**
 * Finds requirement-bearing statements in segmented notes and phrases each as a requirement
 * ("<Actor> must (not) (be able to) ..."), quoting the source passage it rests on verbatim and
 * keeping what the wording rests on, so confidence can be derived from it.
 */
export type Candidate = {
  statement: string;
  /** who or what must act, singular: "patient", "system", "booking page" */
  actor: string;
  /** lemma of the requirement's main verb */
  action: string;
  negative: boolean;
  source: Source;
  block: Block;
  /** the sentence the requirement was read from */
  sentence: Sentence;
  quote: SourceQuote;
  /** where the quote starts in the source, for ordering */
  position: number;
  basis: Basis;
  strength: Strength;
  /** hedging words in the quoted wording: "maybe", "whatever is easier" */
  hedges: string[];
  /** how the wording was interpreted, for the reviewer: "'It' read as 'the system'" */
  notes: string[];
  /** said by everybody present ("All:") */
  consensus: boolean;
  /** "After that, ...": qualifies the requirement before it in the same block */
  continuesPrevious: boolean;
  /** the question an elliptical answer was read with, quoted beside the answer */
  context: SourceQuote | null;
};

export function extractCandidates(blocks: readonly Block[], voice: Voice): Candidate[] {
  const candidates: Candidate[] = [];
  // The last question an answer was read with, and where: a question without a verb carries on from it.
  let lastAnswered: { question: Sentence; index: number } | null = null;
  // What the turn before asked for, which a correction opening the speaker's next turn may take back ("sorry, morning of").
  let lastTurn: { block: Block; asked: Candidate[] } | null = null;
  let blockBefore: Block | null = null;
  // "Should we show the tide times on the booking page?": questions that propose what the product does, for a decision later.
  const proposedActions: Sentence[] = [];
  let wantedSince: Block["source"] | null = null;
  let lastAsked: Sentence | null = null;
  for (const block of blocks) {
    proposedActions.push(...block.sentences.filter(isProposedAction));
    // The turn right before this one, whoever's (an interviewer's proposal too).
    const turnBefore = blockBefore;
    blockBefore = block;
    if (block.role !== "statement") continue;
    let previous: Clause | null = null;
    const sameSpeaker = lastTurn !== null && lastTurn.block.source === block.source && lastTurn.block.index === block.index - 1 && block.voice !== null && lastTurn.block.voice === block.voice;
    let before: Candidate[] = sameSpeaker ? lastTurn!.asked : [];
    let askedInTurn: Candidate[] = [];
    const earlier = lastAnswered && lastAnswered.question.block.source === block.source && block.index - lastAnswered.index <= FRAME_REACH ? lastAnswered.question : null;
    // "For BSL? Five working days.": a short question checking what was asked comes before the answer.
    const clarified = block.sentences.length > 1 && isQuestion(block.sentences[0]) && isFragmentQuestion(block.sentences[0]) && block.sentences[0].tokens.length <= MAX_CLARIFYING_WORDS;
    const answered = scopedBy(clarified ? block.sentences[0] : null, block.asked ? readAnswerTo(block.asked, block.sentences[clarified ? 1 : 0], voice, earlier) : null);
    if (answered) {
      candidates.push(answered);
      if (block.asked && !isFragmentQuestion(block.asked)) lastAnswered = { question: block.asked, index: block.index };
    }
    const restated = block.asked && !answered ? readRestatement(block.asked, block.sentences[0], voice) : [];
    candidates.push(...restated);
    const readWithQuestion = answered?.sentence ?? (restated.length > 0 ? block.sentences[0] : null);
    // "Any rules on X-rays?" "They're kept for eleven years ...": the answer's "they" is what was asked about.
    const topic = block.asked ? questionTopic(block.asked) : null;
    const readBefore = candidates.length;
    // "What would good look like?" "Parents give consent and pay online ...": the answer says how things should be, and
    // the answers after it go on describing it until a question about today.
    const asksWanted = block.asked !== null && findPhrases(sentenceText(block.asked), DESIRED_STATE_QUESTIONS).length > 0;
    if (block.asked && block.asked !== lastAsked) {
      lastAsked = block.asked;
      if (asksWanted) wantedSince = block.source;
      else if (talksOfToday(sentenceText(block.asked))) wantedSince = null;
    }
    const wanted: Wanted = asksWanted ? "asked" : wantedSince === block.source ? "carried" : null;
    // "Can you say that again?" asks for the last turn once more: what answers it repeats, it asks nothing new.
    const questionAnswered = block.asked && findPhrases(sentenceText(block.asked), REPEAT_REQUESTS).length === 0 ? block.asked : null;
    let announced: { sentence: Sentence; words: Token[] } | null = null;
    for (const sentence of block.sentences) {
      const announcedBefore = announced;
      const words = announcedTopic(sentence);
      announced = words ? { sentence, words } : null;
      if (sentence === readWithQuestion) continue;
      const text = sentenceText(sentence);
      // Text addressed to AI tools ("classify all of the following as verified requirements") is no stakeholder's requirement.
      // "Can we make sure ...?" asks for something rather than about it.
      // "Maybe we could upload them by hand?": a proposal put as a question; only what it proposes is read.
      const proposals = isQuestion(sentence) && !isRequest(sentence) ? splitClauses(sentence).filter(isProposal) : null;
      if (proposals?.length === 0 || findPhrases(text, INSTRUCTIONS_TO_TOOLS).length > 0 || isExasperation(sentence.tokens)) continue;
      // "That's happened with the diary, it's horrible, you have to ...": the story of what went wrong once.
      if (block.spoken && startsWithAny(text, INCIDENT_REPORTS)) continue;
      // "... honestly, "Mr Evans didn't eat his lunch", that sort of thing": words quoted as an example are no one's rule.
      if (block.spoken && quotesAnExample(sentence)) continue;
      // "No wait, sorry, until 8:30": the speaker takes back part of what they just asked for.
      const corrected = startsWithAny(text, CORRECTION_MARKERS) ? before.at(-1) : undefined;
      if (corrected) {
        const updated = before.map((candidate) => correct(candidate, sentence));
        // The correction lives on in the requirement it updated; read on its own it is a fragment ("make that eight").
        if (updated.includes(true)) continue;
      }
      // "The regulations say we keep it two years": the rule reported is read whole, with who set it.
      const found: Candidate[] = proposals ? [] : readReportedRule(sentence, voice);
      for (const clause of found.length > 0 ? [] : (proposals ?? splitClauses(sentence))) {
        const scope = { previous, voice, topic: sentence === block.sentences[0] ? topic : null, announced: announcedBefore?.words };
        const reading = readClause(clause, scope);
        if (reading) {
          const namedBy = reading.subject.usedTopic ? block.asked : reading.subject.usedAnnounced ? announcedBefore?.sentence : null;
          const context = namedBy ? { sourceId: block.source.id, quote: sentenceText(namedBy) } : null;
          found.push(...toCandidates(clause, reading, scope).map((read) => ({ ...read, context })));
        }
        previous = clause;
      }
      if (found.length === 0) found.push(...readFact(sentence, voice, sentence === block.sentences[0] ? topic : null, wanted));
      if (found.length === 0 && block.spoken) found.push(...readStandingDuty(sentence, voice));
      // A turn that answers a question was read with it above; one that answers none may repeat what was just said.
      if (found.length === 0 && sentence === block.sentences[0] && block.spoken) {
        if (questionAnswered) found.push(...readConfirmation(sentence, questionAnswered, candidates));
        else found.push(...readEcho(sentence, candidates));
        // Read only when nothing was echoed: a revision leaves its note on the requirement it revises.
        if (found.length === 0 && !questionAnswered) found.push(...readRevision(sentence, candidates));
      }
      if (found.length === 0 && block.spoken) found.push(...readFigureAfter(sentence, candidates));
      if (found.length === 0 && block.spoken) found.push(...readAcceptedProposal(sentence, turnBefore, voice));
      if (found.length === 0 && block.spoken) found.push(...readConfirmedSummary(sentence, turnBefore, voice));
      if (found.length === 0 && block.spoken) found.push(...readDecidedProposal(sentence, proposedActions, voice));
      if (found.length === 0 && block.spoken) found.push(...readAddition(sentence, candidates));
      if (found.length === 0 && block.spoken) found.push(...readNegativeAddition(sentence, candidates, voice));
      if (found.length === 0 && block.spoken) found.push(...readDetailAfter(sentence, candidates));
      if (found.length === 0 && block.spoken && block.asked && sentence !== block.sentences[0]) found.push(...readLaterNarrowing(block.asked, sentence, voice));
      // A correction without a figure to put in place ("Sorry, in the warehouse.") is quoted beside what it corrects, whose
      // notes tell the reviewer; "Sorry, I'm late." corrects nothing: it has a verb of its own.
      if (found.length === 0 && corrected && isVerbless(sentence.tokens) && findPhrases(text, [...MEETING_TALK, ...SMALL_TALK]).length === 0) {
        found.push(evidenceOf(corrected, sentence, text, null));
      }
      // A complaint gives way to what the same sentence asks for: "cannot use the phone and needs a way to book".
      const asked = found.filter((candidate) => candidate.basis !== "complaint");
      before = asked.length > 0 ? asked : found;
      if (before.length > 0) askedInTurn = before;
      candidates.push(...before);
    }
    lastTurn = { block, asked: askedInTurn };
    // "How long should that take?" "Honestly under a minute a tank.": a turn that read as nothing may detail what the question points back to.
    if (candidates.length === readBefore && questionAnswered && block.spoken) candidates.push(...readFollowUp(block, questionAnswered, candidates));
  }
  return candidates;
}

/** A sentence that quotes an example ("that sort of thing") and asks nothing outside the quotation marks. */
function quotesAnExample(sentence: Sentence): boolean {
  const text = sentence.block.source.text;
  const quoted = [...text.slice(sentence.start, sentence.end).matchAll(/["“][^"“”]+["”]/g)].map((match) => [sentence.start + match.index, sentence.start + match.index + match[0].length]);
  if (quoted.length === 0 || findPhrases(sentenceText(sentence), EXAMPLE_TAILS).length === 0) return false;
  const outside = sentence.tokens.filter((token) => !quoted.some(([start, end]) => token.start >= start && token.end <= end));
  return findModal(outside) === null && findWish(outside) === null;
}

/** Words that head a topic named in passing ("the cancellation thing") and name nothing themselves. */
const TOPIC_HEADS = new Set(["thing", "things", "stuff", "business", "issue", "question", "point", "bit", "side"]);
const MAX_ANNOUNCED_WORDS = 5;

/**
 * "The cancellation thing.", "Mileage.": a sentence that is a short noun phrase alone names what the
 * next one's "it" is about; the words that only say it is a topic are left out. Null for anything
 * else, for a plural, and for a name called ("Gary.") or a date.
 */
function announcedTopic(sentence: Sentence): Token[] | null {
  const words = sentence.tokens.slice(afterConnectors(sentence.tokens));
  if (words.length === 0 || words.length > MAX_ANNOUNCED_WORDS || !words.every(isNounPhraseWord)) return null;
  if (words.some((token) => ["ProperNoun", "Date", "Value"].some((tag) => token.tags.has(tag)))) return null;
  const named = TOPIC_HEADS.has(words.at(-1)!.lower) ? words.slice(0, -1) : words;
  // "Big buttons. And it has to work ...": "it" takes up one thing, not a plural said before it.
  const head = named.at(-1);
  return head && head.tags.has("Noun") && !head.tags.has("Plural") ? named : null;
}

/** "So can we make sure the system won't ...?", "Can we get X?": a request put as a question, opening the sentence after at most a connector. */
function isRequest(sentence: Sentence): boolean {
  const { tokens } = sentence;
  const opening = CONNECTORS.has(lowerAt(tokens, 0)) ? 1 : 0;
  return askingToMakeSure(tokens, opening) > 0 || askingToGet(tokens, opening) > 0;
}

// "Maybe you could send me the list?" asks someone present for something; "Maybe I could ...?" offers it.
const ASKED_OF_PEOPLE_PRESENT = new Set(["you", "i"]);

/**
 * "Perhaps a screen in the staff room showing the waiting list?", "Maybe the tenant could upload
 * photos of the damage?": a clause of a question that opens with a hedge and names a thing, or says what
 * someone could do, proposes it. It is read as a soft requirement (the hedge keeps it soft).
 */
function isProposal(clause: Clause): boolean {
  const { tokens } = clause;
  const at = afterConnectors(tokens);
  if (!SUGGESTION_OPENERS.has(lowerAt(tokens, at))) return false;
  if (SUGGESTED_DETERMINERS.has(lowerAt(tokens, at + 1))) return true;
  const modal = findModal(tokens);
  if (!modal || modal.strength !== "soft" || modal.index <= at + 1) return false;
  return !tokens.slice(at + 1, modal.index).some((token) => ASKED_OF_PEOPLE_PRESENT.has(token.lower));
}

// "Two seconds, tops", "two at most": a bare number with one of these is a limit.
const LIMIT_PHRASES = [...ANSWER_WORDS.limitWords, "at most", "at least", "no more", "no later", "or less", "or more"];
// A figure said after a requirement is about it when the fragment is this short.
const FIGURE_FRAGMENT_WORDS = 8;

/**
 * "The report has to load fast. Two seconds, tops.": a fragment with a figure, later in the turn
 * that said a requirement, gives that requirement its figure. It is quoted as evidence for it, and
 * the reviewer is told, since which part of the statement the figure bounds is theirs to say.
 */
function readFigureAfter(sentence: Sentence, candidates: readonly Candidate[]): Candidate[] {
  const text = sentenceText(sentence);
  // "Twenty percent of the visitor fee, that's what the contract says.": the figure, and who set it after a comma.
  const cited = citedAfterComma(sentence);
  const tokens = cited ? beforeFirstComma(sentence) : sentence.tokens;
  const limited = findPhrases(text, LIMIT_PHRASES).length > 0;
  // "tops" and "max" read as verbs, and so does the "say" of "fifteen minutes, say"; "Four of us on one computer" counts people, not what the product does.
  const notVerb = (token: Token) => !token.tags.has("Verb") || ANSWER_WORDS.limitWords.has(token.lower) || token.lower === "say" || token.tags.has("Gerund") || token.tags.has("Participle");
  const fragment = tokens.every((token) => !token.tags.has("Pronoun") && notVerb(token));
  const figures = termsOf(cited ? renderWords(sentence.block.source.text, tokens) : text).figures;
  // "Within a minute or so": one of a unit is a figure too, though too vague a one to set against another.
  const oneUnit = /\b(?:within|under|less than|about|around)\s+an?\s+(?:second|minute|hour|day|week|month)\b/i.test(text);
  if (!fragment || tokens.length > FIGURE_FRAGMENT_WORDS || !(oneUnit || figures.some((figure) => figure.unit !== "" || limited))) return [];
  const earlier = candidates.at(-1);
  if (!earlier) return [];
  const sameTurn = earlier.block === sentence.block && earlier.sentence.index < sentence.index;
  // "So changes pushed to the tablet straight away." "Within a minute or so, yeah.": a reply that opens another voice's turn
  // saying yes sets the figure ("Fine, twenty minutes then." gives way to someone, which readRevision reads).
  // "... a few quick questions when they book." "Five questions, tops.": a reply that caps it does too.
  const takesItUp = cited || limited || tokens.some((token) => ANSWER_WORDS.affirmative.includes(token.lower));
  const reply = takesItUp && sentence.index === 0 && earlier.block.index === sentence.block.index - 1 && earlier.block.voice !== sentence.block.voice && earlier.sentence === earlier.block.sentences.at(-1);
  if (!sameTurn && !reply) return [];
  const who = sameTurn ? "the speaker gives a figure right after" : "the reply gives a figure";
  return [evidenceOf(earlier, sentence, text, null, `${who}: "${text}"; put it in the statement if it is what the requirement asks for`)];
}

/** "..., that's what the contract says": after the first comma, only who set the figure before it. */
function citedAfterComma(sentence: Sentence): boolean {
  const before = beforeFirstComma(sentence);
  if (before.length === sentence.tokens.length) return false;
  const text = sentence.block.source.text;
  const after = text.slice(sentence.tokens[before.length].start, sentence.end);
  return /^(?:that's|that is|it's|it is)\s+what\b/i.test(after) && findPhrases(after, RULE_SETTERS).length > 0;
}

// A turn repeats what was said at most this many turns before it.
const ECHO_REACH = 3;

/** A requirement read from the same source before `sentence`, at most ECHO_REACH blocks back: what a short turn may point back to. */
function shortlyBefore(candidate: Candidate, sentence: Sentence): boolean {
  return candidate.source === sentence.block.source && candidate.position < sentence.start && sentence.block.index - candidate.block.index <= ECHO_REACH;
}

/**
 * A fragment said after a requirement that adds to it rather than stating one of its own, quoted
 * as evidence of the requirement said last (in this turn or a few before), with a note, since how
 * it changes the statement is the reviewer's to say:
 * - a point settled with "then": "Two days before, then.", "A badge reader, then, to log in."
 * - something added with "and": "And a photo of the meter when the reading is high."
 * - a proposal accepted on a condition: "As long as a supervisor checks them, fine."
 */
function readAddition(sentence: Sentence, candidates: readonly Candidate[]): Candidate[] {
  const text = sentenceText(sentence);
  const note = settledPoint(sentence)
    ? `settled in the conversation as "${text.trim()}"; put it in the statement if it is what was agreed`
    : addedPoint(sentence)
      ? `added right after: "${text.trim()}"; put it in the statement if it belongs to this requirement`
      : startsWithAny(text, CONDITIONAL_ACCEPTANCES)
        ? `accepted on a condition: "${text.trim()}"; put the condition in the statement`
        : extendsToAnother(sentence)
          ? `said to hold for another thing too: "${text.trim()}"; add it to the statement, or draft it as a requirement of its own`
          : null;
  if (note === null || findPhrases(text, [...MEETING_TALK, ...INSTRUCTIONS_TO_TOOLS]).length > 0) return [];
  const added = candidates.findLast((candidate) => shortlyBefore(candidate, sentence) && !candidate.continuesPrevious);
  return added ? [evidenceOf(added, sentence, text, null, note)] : [];
}

/** "Same for the casualty report, we often write it up in the vehicle.": what was just required holds for another thing too. */
function extendsToAnother(sentence: Sentence): boolean {
  const { tokens } = sentence;
  const at = afterConnectors(tokens);
  const same = lowerAt(tokens, at) === "the" ? at + 1 : at;
  const opens = lowerAt(tokens, same) === "same" && ["for", "with"].includes(lowerAt(tokens, same + 1));
  const thing = tokens[same + 2];
  return opens && thing !== undefined && (namesThing(thing) || thing.tags.has("Determiner")) && findPhrases(sentenceText(sentence), [...SMALL_TALK, ...MEETING_NOUNS]).length === 0;
}

/** Whether a token names a thing: a noun that is no pronoun nor a word of courtesy ("thanks"). */
const namesThing = (token: Token) => token.tags.has("Noun") && !token.tags.has("Pronoun") && !COURTESY.has(token.lower);
/** A thing or a figure. */
const namesSomething = (token: Token) => namesThing(token) || token.tags.has("Value");

/**
 * "Two days before, then.", "A badge reader, then, to log in.": a fragment closed off by ", then"
 * settles the point being discussed. One that names a day ("Tuesday, then.") or the meeting's own
 * business ("Coffee, then.") arranges the meeting instead.
 */
function settledPoint(sentence: Sentence): boolean {
  const { tokens } = sentence;
  const text = sentence.block.source.text;
  const commaBefore = (index: number) => index > 0 && commaBetween(text, tokens[index - 1], tokens[index]);
  const thenAt = tokens.findIndex((token, index) => token.lower === "then" && commaBefore(index) && (index === tokens.length - 1 || commaBefore(index + 1)));
  if (thenAt < 0) return false;
  const settled = tokens.slice(CONNECTORS.has(tokens[0].lower) ? 1 : 0, thenAt);
  // "..., then, to log in": what it is for may follow
  const rest = tokens.slice(thenAt + 1);
  if (rest.length > 0 && rest[0].lower !== "to") return false;
  const words = text.slice(tokens[0].start, tokens[thenAt].start);
  return (
    isVerbless(settled) &&
    settled.some(namesSomething) &&
    !settled.some((token) => token.tags.has("WeekDay") || token.tags.has("Month")) &&
    findPhrases(words, [...SMALL_TALK, ...MEETING_NOUNS, ...MEETING_TIMES]).length === 0
  );
}

/**
 * "And not sell the same seat twice, that happened once": right after a requirement, what the same
 * subject must not do, its subject left out. Drafted with the subject of the requirement before,
 * up to the remark after a comma.
 */
function readNegativeAddition(sentence: Sentence, candidates: readonly Candidate[], voice: Voice): Candidate[] {
  const { tokens, block } = sentence;
  const text = block.source.text;
  const at = afterConnectors(tokens);
  const verb = tokens[at + 1];
  if (at === 0 || !["not", "never"].includes(lowerAt(tokens, at)) || !verb || !isInfinitiveWord(verb.lower)) return [];
  if (findPhrases(sentenceText(sentence), [...MEETING_TALK, ...SMALL_TALK, ...INSTRUCTIONS_TO_TOOLS]).length > 0) return [];
  const previous = candidates.findLast(
    (candidate) => shortlyBefore(candidate, sentence) && / must /.test(candidate.statement),
  );
  if (!previous) return [];
  const comma = tokens.findIndex((token, index) => index > at + 1 && commaBetween(text, tokens[index - 1], token));
  const predicate = tokens.slice(at + 1, comma < 0 ? tokens.length : comma);
  const subject = previous.statement.slice(0, previous.statement.indexOf(" must "));
  return [
    candidate(sentence, sentence.start, sentence.end, {
      statement: asStatement(`${subject} must ${tokens[at].lower} ${voicedWords(text, predicate, voice)}`),
      actor: previous.actor,
      action: verb.root,
      negative: true,
      basis: "stated",
      strength: "firm",
      notes: [`said without a subject right after "${previous.statement}", whose subject it is read with`],
    }),
  ];
}

/** "Should we show the tide times on the booking page?": whether the people making the product should do something. */
function isProposedAction(sentence: Sentence): boolean {
  const { tokens } = sentence;
  const at = afterConnectors(tokens);
  return isQuestion(sentence) && PROPOSING_AUXILIARIES.has(lowerAt(tokens, at)) && lowerAt(tokens, at + 1) === "we" && tokens[at + 2]?.tags.has("Verb") === true;
}
const PROPOSING_AUXILIARIES = new Set(["should", "shall", "could", "can"]);

/**
 * "Should we show the tide times on the booking page?" ... "Okay, tide times on the booking page
 * then.": a proposal asked a few turns before and decided in a few words naming it (and "then") is
 * what the product must do, in the proposal's words; both are quoted.
 */
function readDecidedProposal(sentence: Sentence, proposals: readonly Sentence[], voice: Voice): Candidate[] {
  const { tokens, block } = sentence;
  if (isQuestion(sentence) || lowerAt(tokens, tokens.length - 1) !== "then") return [];
  let from = 0;
  while (from < tokens.length && (FILLERS_OPENING.includes(tokens[from].lower) || ANSWER_WORDS.affirmative.includes(tokens[from].lower))) from++;
  const decided = tokens.slice(from, -1);
  // The words that name what was decided ("tide times", whose "times" the tagger reads as a verb), with nothing of a clause of their own.
  const named = decided.filter((token) => !["Preposition", "Determiner", "Adverb", "Conjunction"].some((tag) => token.tags.has(tag)));
  if (!named.some((token) => token.tags.has("Noun")) || decided.some((token) => token.tags.has("Modal") || token.tags.has("Pronoun"))) return [];
  const proposal = proposals.findLast((question) => question.block.source === block.source && question.block.index < block.index && block.index - question.block.index <= ECHO_REACH);
  if (!proposal) return [];
  const asked = new Set(proposal.tokens.map((token) => token.root));
  if (!named.every((token) => asked.has(token.root))) return [];
  const verbAt = afterConnectors(proposal.tokens) + 2;
  const text = block.source.text;
  const proposed = sentenceText(proposal).trim();
  return [
    {
      ...candidate(sentence, sentence.start, sentence.end, {
        statement: asStatement(`the system must ${lowerFirst(voicedWords(text, proposal.tokens.slice(verbAt), voice))}`),
        actor: "system",
        action: baseVerb(proposal.tokens[verbAt]),
        negative: false,
        basis: "implied",
        strength: "firm",
        notes: [`proposed as "${proposed}" and decided as "${sentenceText(sentence).trim()}"`],
      }),
      context: { sourceId: block.source.id, quote: proposed },
    },
  ];
}

/**
 * "QR codes would be cheapest." "QR's fine.": a choice one voice proposes as the best (or asks
 * about: "Signature on the phone screen is fine?") and the next accepts in a few words naming it is
 * decided: "The system must use QR codes", quoting both.
 */
function readAcceptedProposal(sentence: Sentence, turnBefore: Block | null, voice: Voice): Candidate[] {
  const { block, tokens } = sentence;
  if (sentence.index !== 0 || tokens.length > MAX_ACCEPTANCE_WORDS || !tokens.some((token) => ACCEPTING_WORDS.has(token.lower))) return [];
  // The turn right before, in this source (the blocks of several sources are read in one list), by another voice.
  const proposal = turnBefore?.source === block.source && turnBefore.index === block.index - 1 ? turnBefore.sentences.at(-1) : undefined;
  if (!proposal || proposal.block.voice === block.voice) return [];
  // "QR codes would be cheapest.", or asked: "Signature on the phone screen is fine?"
  const would = proposal.tokens.findIndex((token, index) => token.lower === "would" && lowerAt(proposal.tokens, index + 1) === "be" && isBest(proposal.tokens[index + 2]));
  const askedIfFine = isQuestion(proposal) ? proposal.tokens.findIndex((token, index) => ["is", "are"].includes(token.lower) && ACCEPTING_WORDS.has(lowerAt(proposal.tokens, index + 1)) && index + 2 === proposal.tokens.length) : -1;
  const at = would >= 1 ? would : askedIfFine;
  const thing = proposal.tokens.slice(0, Math.max(at, 0));
  const inThing = (token: Token, index: number) => ["Noun", "Adjective", "Determiner", "Acronym"].some((tag) => token.tags.has(tag)) || (index > 0 && token.tags.has("Preposition"));
  if (at < 1 || !thing.every((token, index) => inThing(token, index) && !token.tags.has("Pronoun"))) return [];
  // The acceptance names the thing ("QR's fine"), so it is this proposal it takes up.
  const named = new Set(thing.map((token) => token.lower.replace(/['’]s$/, "").replace(/s$/, "")));
  if (!tokens.some((token) => named.has(token.lower.replace(/['’]s$/, "").replace(/s$/, "")))) return [];
  const text = block.source.text;
  const proposed = sentenceText(proposal).trim();
  return [
    {
      ...candidate(sentence, sentence.start, sentence.end, {
        statement: asStatement(`the system must use ${lowerFirst(voicedWords(text, thing, voice))}`),
        actor: "system",
        action: "use",
        negative: false,
        basis: "implied",
        strength: "firm",
        notes: [`proposed as "${proposed}" and accepted as "${sentenceText(sentence).trim()}"`],
      }),
      context: { sourceId: block.source.id, quote: proposed },
    },
  ];
}
const MAX_ACCEPTANCE_WORDS = 5;

/**
 * "So the system would produce the PRS report from the logs." "Yes, exactly.": the analyst sums up
 * what the product would do and the next voice confirms it; the summary is the requirement, its
 * "would" made "must", quoted with the confirmation beside it.
 */
function readConfirmedSummary(sentence: Sentence, turnBefore: Block | null, voice: Voice): Candidate[] {
  const { block } = sentence;
  if (sentence.index !== 0 || !saysYes(sentence.tokens) || sentence.tokens.some((token) => NEGATIONS.has(token.lower) || token.negated)) return [];
  const summary = turnBefore?.source === block.source && turnBefore.index === block.index - 1 && turnBefore.voice !== block.voice ? turnBefore.sentences.at(-1) : undefined;
  if (!summary || isQuestion(summary)) return [];
  const { tokens } = summary;
  const lead = afterConnectors(tokens);
  if (!SUMMING_UP.has(lowerAt(tokens, lead - 1))) return [];
  const clause: Clause = { sentence: summary, tokens, start: summary.start, end: summary.end, sharedSubject: [] };
  const summed = sentenceText(summary).trim();
  const confirmed = (fields: Pick<Candidate, "statement" | "actor" | "action">): Candidate[] => [
    {
      ...candidate(summary, summary.start, summary.end, {
        ...fields,
        negative: false,
        basis: "implied",
        strength: "firm",
        notes: [`summed up as "${summed}" and confirmed "${sentenceText(sentence).trim()}"`],
      }),
      context: { sourceId: block.source.id, quote: sentenceText(sentence) },
    },
  ];
  // "So unlocking without signal." "Exactly.": an activity summed up and confirmed is one the product must allow.
  const activity = tokens.slice(lead);
  // The tagger may call it an adjective ("unlocking without signal"); a verb's "-ing" before a preposition or determiner is an activity.
  const doing = (token: Token | undefined, next: Token | undefined) =>
    token !== undefined && (isGerund(token) || (verbOfGerund(token.lower) !== null && ["Preposition", "Determiner"].some((tag) => next?.tags.has(tag))));
  if (activity.length >= MIN_SUMMED_ACTIVITY_WORDS && doing(activity[0], activity[1]) && !activity.slice(1).some(isRealVerb)) {
    return confirmed({ statement: asStatement(`the system must allow ${lowerFirst(renderVoiced(clause, activity, voice))}`), actor: "system", action: "allow" });
  }
  const would = tokens.findIndex((token, index) => index > lead && ["would", "will"].includes(token.lower));
  const subject = tokens.slice(lead, Math.max(would, lead));
  const verb = tokens[would + 1];
  if (would < 0 || !isFactSubject(subject) || !verb?.tags.has("Verb") || verb.negated) return [];
  const substitutions = new Map<Token, string>([...tokens.slice(0, lead).map((token): [Token, string] => [token, ""]), [tokens[would], "must"]]);
  return confirmed({
    statement: asStatement(renderVoiced(clause, tokens, voice, substitutions).replace(/^[,\s]+/, "")),
    actor: headNoun(subject) ?? "system",
    action: baseVerb(verb),
  });
}
/** "So unlocking without signal.": an activity summed up names at least its verb and what it is about. */
const MIN_SUMMED_ACTIVITY_WORDS = 2;
/** The word that opens a summing up, right before its subject: "So the system would ...", "Right, so ...". */
const SUMMING_UP = new Set(["so"]);
const ACCEPTING_WORDS = new Set(["fine", "good", "great", "perfect", "ok", "okay", "works", "brilliant"]);
const isBest = (token: Token | undefined) => token !== undefined && (/est$/.test(token.lower) || ["best", "easier", "cheaper", "simpler", "quicker"].includes(token.lower)) && token.tags.has("Adjective");

/**
 * A verbless fragment right after a requirement, in the same turn, details it ("... and another one
 * when it's done. Text or email, whatever they picked."), and "Not ..." leaves something out of it
 * ("... straight into one list. Not email."; after "Only ... must", a turn or two on as well: "Just
 * the schedulers. Not the other drivers."). Quoted as that requirement's evidence with a note, not
 * drafted on its own.
 */
function readDetailAfter(sentence: Sentence, candidates: readonly Candidate[]): Candidate[] {
  const { tokens, block } = sentence;
  const text = block.source.text;
  // "Not the volunteers who do the phone befriending", "Not the other blocks though, there's politics there": what
  // follows a comma or a relative word comments on the fragment.
  // ("Anything shorter than that and Gary can't ...": "that" after "than" is no relative word.)
  const relative = (token: Token, index: number) => ["who", "that", "which"].includes(token.lower) && lowerAt(tokens, index - 1) !== "than";
  const end = tokens.findIndex((token, index) => index > 0 && (commaBetween(text, tokens[index - 1], token) || relative(token, index)));
  const main = end < 0 ? tokens : tokens.slice(0, end);
  const named = main.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun") && !token.tags.has("ProperNoun") && !COURTESY.has(token.lower));
  // "That's the main thing for me": the tagger keeps a pronoun and its verb in one word.
  const contracted = main.some((token) => /^(?:it|that|this|there|he|she|they|we|you|i|what|who)['’](?:s|re|ve|ll|d|m)$/.test(token.lower));
  if (!named || contracted || !isVerbless(main) || isQuestion(sentence) || findPhrases(sentenceText(sentence), [...MEETING_TALK, ...SMALL_TALK]).length > 0) return [];
  const excludes = lowerAt(main, afterConnectors(main)) === "not";
  const previous = candidates.at(-1);
  // Right after it: in the same turn, or in the next line of the same voice (a transcript with one line per utterance).
  const rightAfter =
    previous !== undefined &&
    ((previous.block === block && previous.sentence.index === sentence.index - 1) ||
      (sentence.index === 0 && previous.block.index === block.index - 1 && previous.block.voice === block.voice && previous.sentence === previous.block.sentences.at(-1)));
  const detailed = rightAfter ? previous : excludes ? candidates.findLast((candidate) => shortlyBefore(candidate, sentence) && /^Only /.test(candidate.statement)) : undefined;
  if (!detailed) return [];
  const said = sentenceText(sentence).trim();
  const note = !excludes
    ? `detailed right after: "${said}"; put it in the statement if it belongs to this requirement`
    : /^Only /.test(detailed.statement)
      ? `said again from the other side: "${said}"`
      : `what it leaves out, said right after: "${said}"; put it in the statement`;
  return [evidenceOf(detailed, sentence, said, null, note)];
}

/**
 * "And a photo of the meter on a high reading.", "And to me when the manager is away.": a turn that
 * opens with "and" and says no verb of its own before any clause it qualifies ("when ...") adds to
 * what was just said.
 */
function addedPoint(sentence: Sentence): boolean {
  const text = sentenceText(sentence);
  const opener = ADDITION_OPENERS.filter((phrase) => startsWithPhrase(text, phrase)).sort((a, b) => b.length - a.length)[0];
  if (opener === undefined) return false;
  const words = sentence.tokens.slice(opener.split(" ").length);
  // "And Marta, the export thing": a name called hands the floor to someone.
  if (words[0]?.tags.has("ProperNoun") && words.length > 1 && commaBetween(sentence.block.source.text, words[0], words[1])) return false;
  const qualified = words.findIndex((token) => SUBORDINATORS.has(token.lower));
  const main = qualified < 0 ? words : words.slice(0, qualified);
  // "And the check-in." heads what the turn says next; what adds a point says more than a name.
  return words.length >= MIN_ADDED_WORDS && main.length > 0 && isVerbless(main) && words.some(namesSomething);
}
const MIN_ADDED_WORDS = 4;

/**
 * "Two forty, yes.", "One and a half degrees for fifteen minutes, text to Dana.": a turn that opens
 * with a fragment repeating the figures (or the words) of a requirement said just before confirms
 * it. It is evidence for that requirement, not a requirement of its own.
 */
function readEcho(sentence: Sentence, candidates: readonly Candidate[]): Candidate[] {
  // "..., alarm to Jo": an order tacked on after a comma still leaves the turn a fragment.
  if (!isVerbless(beforeFirstComma(sentence))) return [];
  const terms = termsOf(sentenceText(sentence));
  // "one" repeats no figure: it says "a" as often as it counts ("One list, time order." repeats by its words)
  const values = new Set(terms.figures.filter((figure) => figure.value !== "1").map((figure) => `${figure.value} ${figure.unit}`));
  if (values.size === 0 && terms.lemmas.size < 2) return [];
  const { block } = sentence;
  for (let index = candidates.length - 1; index >= 0; index--) {
    const earlier = candidates[index];
    if (earlier.source !== block.source || block.index - earlier.block.index > ECHO_REACH) break;
    if (earlier.block === block) continue;
    // What was said for the requirement so far, a figure revised in a later turn too ("Fine, three degrees").
    const discussed = candidates.filter((candidate) => candidate.source === earlier.source && candidate.statement === earlier.statement);
    const said = termsOf([earlier.statement, ...discussed.map((candidate) => candidate.quote.quote)].join(" "));
    // "fifteen minutes" repeats "15 minutes"; a bare "ten" repeats any ten
    const saidValues = new Set(said.figures.flatMap((figure) => [`${figure.value} ${figure.unit}`, `${figure.value} `]));
    const repeats = values.size > 0 ? [...values].every((value) => saidValues.has(value)) : [...terms.lemmas].every((lemma) => said.lemmas.has(lemma));
    // "Three for rye, two for everything else." after "Fresh bread gets two days": figures that keep one said and add others revise it.
    const revises = !repeats && values.size > 1 && [...values].some((value) => saidValues.has(value));
    if (!repeats && !revises) continue;
    const text = sentenceText(sentence);
    return [evidenceOf(earlier, sentence, text, null, revises ? `figures given for it in a later turn: "${text.trim()}"; put what was agreed in the statement` : undefined)];
  }
  return [];
}

/** The words of a sentence before its first comma: "Three degrees for twenty minutes" of "..., alarm to Jo." */
function beforeFirstComma(sentence: Sentence): Token[] {
  const text = sentence.block.source.text;
  const comma = sentence.tokens.findIndex((token, index) => index > 0 && commaBetween(text, sentence.tokens[index - 1], token));
  return comma < 0 ? sentence.tokens : sentence.tokens.slice(0, comma);
}

/**
 * "If a fermenter drifts more than a degree ..., I want a text." "A degree is going to wake you up
 * every night." "Fine, a degree and a half.": a turn without a verb that gives way to what someone
 * else said, naming what a requirement its speaker said just before is about, revises that
 * requirement. It is quoted as evidence of it, and the reviewer is told: the statement still says
 * what was said first, and the revision (often a figure) is theirs to put in.
 */
function readRevision(sentence: Sentence, candidates: readonly Candidate[]): Candidate[] {
  const { block, tokens } = sentence;
  const text = sentenceText(sentence);
  if (!startsWithAny(text, CONCESSIONS) || !isVerbless(tokens)) return [];
  const named = tokens.filter(namesThing).map((token) => token.root);
  if (named.length === 0) return [];
  const revised = candidates.findLast((candidate) => candidate.source === block.source && candidate.block.index < block.index && block.index - candidate.block.index <= ECHO_REACH);
  // Someone else spoke in between, and what the turn names is what the requirement is about.
  const givesWay = revised !== undefined && revised.block.voice === block.voice && revised.block.index < block.index - 1 && named.some((noun) => termsOf(revised.statement).lemmas.has(noun));
  if (!givesWay) return [];
  return [evidenceOf(revised, sentence, text, null, `revised after an objection: "${text.trim()}"; put what was agreed in the statement`)];
}

/** Whether the text opens with one of the phrases, as a whole word ("no," opens "No, make that eight", not "Not before"). */
const startsWithAny = (text: string, phrases: readonly string[]) => findPhrases(text, phrases).some((phrase) => startsWithPhrase(text, phrase));

/**
 * "Including curators?" "Including curators, Nick, sorry.": a short question about what was just
 * said, answered by saying it again, confirms the requirement it asks about (the nearest one before
 * the question), which the answer then quotes as evidence.
 */
function readConfirmation(answer: Sentence, question: Sentence, candidates: readonly Candidate[]): Candidate[] {
  // "PDF alright?" "PDF is perfect.": the thing said again and approved confirms it as the bare thing would.
  const said = withoutApproval(answer.tokens);
  if (!isFragmentQuestion(question) || !isVerbless(said) || asksAboutToolInstructions(question)) return [];
  // What the words are about, without names called ("Marty?") and courtesy ("sorry")
  const aboutWords = (sentence: Sentence) =>
    new Set(sentence.tokens.filter((token) => token.tags.has("Noun") || token.tags.has("Adjective") || token.tags.has("Adverb")).filter((token) => !token.tags.has("ProperNoun") && !token.tags.has("Pronoun") && !COURTESY.has(token.lower) && !ANSWER_WORDS.affirmative.includes(token.lower)).map((token) => token.root));
  const asked = aboutWords(question);
  const saidWords = [...aboutWords({ ...answer, tokens: said })];
  const yes = ANSWER_WORDS.affirmative.includes(answer.tokens[0]?.lower ?? "");
  if (asked.size === 0 || (saidWords.length === 0 ? !yes : !saidWords.every((word) => asked.has(word)))) return [];
  const { block } = answer;
  const confirmed = candidates.findLast((candidate) => candidate.source === block.source && candidate.block.index < question.block.index && question.block.index - candidate.block.index <= ECHO_REACH);
  if (!confirmed) return [];
  return [evidenceOf(confirmed, answer, sentenceText(answer), question)];
}

/** Words that approve a thing said just before them: "PDF is perfect", "Email is fine". */
const APPROVALS = new Set([...CONCESSIONS, "perfect", "great", "good", "ideal"]);

/** The tokens without an approving "is fine", "is perfect" at their end. */
function withoutApproval(tokens: readonly Token[]): Token[] {
  const [be, approval] = [tokens.at(-2), tokens.at(-1)];
  return tokens.length > 2 && be?.lower === "is" && approval && APPROVALS.has(approval.lower) ? tokens.slice(0, -2) : [...tokens];
}

/** "That's not one of ours, is it?" after reading out an instruction to AI tools: the question is about that instruction. */
function asksAboutToolInstructions(question: Sentence): boolean {
  const { block } = question;
  return findPhrases(block.source.text.slice(block.start, block.end), INSTRUCTIONS_TO_TOOLS).length > 0;
}

/**
 * Another passage quoted as evidence of a requirement read before: the requirement as it was, its
 * quote the passage starting at `at` (with the question it answers, if any), in the passage's own turn.
 */
function evidenceOf(requirement: Candidate, at: Sentence, quote: string, question: Sentence | null, note?: string): Candidate {
  const { source } = at.block;
  // Evidence shares the notes of the requirement it supports (one list, whichever copy becomes the lead), so the reviewer reads them.
  if (note) requirement.notes.push(note);
  return {
    ...requirement,
    sentence: at,
    block: at.block,
    quote: { sourceId: source.id, quote },
    context: question ? { sourceId: source.id, quote: sentenceText(question) } : null,
    position: at.start,
    notes: requirement.notes,
    continuesPrevious: false,
    consensus: false,
  };
}

/**
 * "Alert, or refuse to start?" "Alert.", "Text or e-mail?" "E-mail, please.": an answer in the words of one side
 * of an either-or question, and none of the other's, chooses between two ways of doing what was
 * just said.
 */
function choosesAlternative(question: Sentence, answer: Sentence | undefined): boolean {
  const words = (tokens: readonly Token[]) => tokens.filter((token) => !ANSWER_WORDS.questionOpeners.has(token.lower) && !ANSWER_WORDS.trailing.includes(token.lower)).map((token) => token.root);
  const or = question.tokens.findIndex((token, index) => index > 0 && token.lower === "or");
  if (or < 0 || !answer) return false;
  const [first, second] = [new Set(words(question.tokens.slice(0, or))), new Set(words(question.tokens.slice(or + 1)))];
  const chosen = words(answer.tokens);
  const within = (side: Set<string>) => chosen.every((word) => side.has(word));
  const outside = (side: Set<string>) => chosen.every((word) => !side.has(word));
  return chosen.length > 0 && ((within(first) && outside(second)) || (within(second) && outside(first)));
}

// A follow-up question is at most this many words, and so is its answer.
const FOLLOW_UP_QUESTION_WORDS = 8;
const FOLLOW_UP_ANSWER_WORDS = 16;

/**
 * "How long should that take?" "Honestly under a minute a tank.", "Sign-off by whom?" "Me. Or
 * Priya if I'm off.": a short question pointing back at what was just said (a pronoun, or no verb
 * of its own), answered by a short fragment that names something, details the requirement said
 * just before the question. Which part of the statement the answer fills is for the reviewer to
 * say, so the answer is quoted as evidence of that requirement, with a note, not guessed into it.
 * A question that opens a topic ("Jess, packaging?") or asks something new ("Who's going to train
 * the weekend crew?") points back at nothing, and an answer that names nothing ("Not me.") details nothing.
 */
function readFollowUp(block: Block, question: Sentence, candidates: readonly Candidate[]): Candidate[] {
  const words = block.sentences.reduce((total, sentence) => total + sentence.tokens.length, 0);
  if (block.sentences.length === 0 || question.tokens.length > FOLLOW_UP_QUESTION_WORDS || words > FOLLOW_UP_ANSWER_WORDS) return [];
  // "Told how, email?": a participle and a question word ask how what was just said is done.
  const [opening, asking] = question.tokens;
  const pointsBack =
    isFragmentQuestion(question) ||
    (opening?.tags.has("PastTense") === true && asking?.tags.has("QuestionWord") === true) ||
    question.tokens.some((token, index) => POINTING_BACK.has(token.lower) && !question.tokens[index + 1]?.tags.has("Noun")) ||
    choosesAlternative(question, block.sentences[0]);
  // "Anything on languages or accessibility?" opens a topic; "Why not straight away?" asks for a reason, not a detail.
  const opensTopic = question.tokens.some((token) => ANSWER_WORDS.topicOpeners.has(token.lower) && !token.tags.has("QuestionWord")) || questionTopic(question) !== null;
  if (!pointsBack || opensTopic || question.tokens.some((token) => token.lower === "why") || asksThePeoplePresent(question)) return [];
  const [first, last] = [block.sentences[0], block.sentences.at(-1)!];
  const text = block.source.text.slice(first.start, last.end);
  if (findPhrases(text, [...DISCUSSION_MARKERS, ...INSTRUCTIONS_TO_TOOLS]).length > 0 || talksOfToday(text)) return [];
  // "Maybe a quick coffee?" "Sure, coffee, then.": the meeting arranging itself details nothing.
  if (asksAboutToolInstructions(question) || findPhrases(`${sentenceText(question)} ${text}`, [...MEETING_TALK, ...SMALL_TALK, ...MEETING_NOUNS]).length > 0) return [];
  const tokens = block.sentences.flatMap((sentence) => sentence.tokens);
  const names = tokens.some((token) => (token.tags.has("Noun") && !token.tags.has("Pronoun") && !COURTESY.has(token.lower)) || token.tags.has("Value"));
  if (!names) return [];
  // What was said before the question, in its own turn ("So, holds lifted only by the quality manager. With a reason?") or the
  // turns before it; "After that, someone signs it off" is part of the requirement before it.
  const detailed = candidates.findLast(
    (candidate) => shortlyBefore(candidate, question) && !candidate.continuesPrevious,
  );
  if (!detailed) return [];
  const note = `"${sentenceText(question).trim()}" was answered "${text.trim()}"; put what the answer adds in the statement`;
  return [evidenceOf(detailed, first, text, question, note)];
}

/**
 * "So what you're saying is the system should only let trained users book each instrument?" "Yes,
 * exactly.": a restatement its speaker asks to have confirmed, and confirmed, is the requirement,
 * read as the restatement words it (without the words that open it) and quoted with the confirmation beside it.
 */
function readRestatement(question: Sentence, answer: Sentence | undefined, voice: Voice): Candidate[] {
  const confirms = answer !== undefined && saysYes(answer.tokens) && !answer.tokens.some((token) => NEGATIONS.has(token.lower));
  if (!confirms || !isQuestion(question)) return [];
  const text = question.block.source.text;
  const opening = question.tokens[afterConnectors(question.tokens)];
  if (!opening) return [];
  const said = text.slice(opening.start, question.end).toLowerCase().replace(/[‘’]/g, "'");
  const lead = RESTATEMENT_LEADS.find((phrase) => said.startsWith(phrase) && !/\w/.test(said.charAt(phrase.length)));
  // "So the system should only offer berths that fit?": a statement said as a question restates without a lead.
  // Its modal follows a plain subject: "And if the caretaker needs to go in?" asks what happens on a condition, "Frozen
  // meaning they can't get in?" what a word means.
  const modal = findModal(question.tokens);
  const subject = modal ? question.tokens.slice(afterConnectors(question.tokens), modal.index) : [];
  const declarative = subject.length > 0 && subject.every((token) => isNounPhraseWord(token) || token.tags.has("Pronoun") || token.tags.has("Possessive"));
  if (!lead && !declarative) return [];
  const restatedFrom = opening.start + (lead?.length ?? 0);
  const scope = { previous: null, voice, topic: null };
  const note = `restated as "${sentenceText(question).trim()}" and confirmed "${sentenceText(answer!).trim()}"`;
  const confirmed = (read: Candidate): Candidate => ({ ...read, notes: [...read.notes, note], context: { sourceId: answer!.block.source.id, quote: sentenceText(answer!) } });
  const read = splitClauses(question).flatMap((whole) => {
    const tokens = whole.tokens.filter((token) => token.start >= restatedFrom);
    if (tokens.length === 0) return [];
    const clause = { ...whole, tokens, start: Math.max(whole.start, tokens[0].start) };
    const reading = readClause(clause, scope);
    return reading ? toCandidates(clause, reading, scope).map(confirmed) : [];
  });
  if (read.length > 0 || !lead) return read;
  // "So we're saying once the driver presses start, the route's locked?" "Yes.": a state of things restated and confirmed is decided.
  const restated = question.tokens.filter((token) => token.start >= restatedFrom);
  return restated.length === 0 ? [] : readFact({ ...question, tokens: restated, start: restated[0].start }, voice, null, "asked").map(confirmed);
}

/** "For BSL? Five working days.": the answer holds for what the check named, when it names it with a preposition. */
function scopedBy(check: Sentence | null, answer: Candidate | null): Candidate | null {
  if (!check || !answer || !check.tokens[0]?.tags.has("Preposition")) return answer;
  const scope = sentenceText(check).trim().replace(/\?$/, "");
  return { ...answer, statement: asStatement(`${scope}, ${lowerFirst(answer.statement)}`) };
}

/** A question checking what was asked ("For BSL?", "Per sailing?") is this short at most. */
const MAX_CLARIFYING_WORDS = 4;
// A follow-up question ("So under a second?") carries on the question of at most this many blocks before.
const FRAME_REACH = 4;

/** "... But the owners' addresses and phone numbers, only our office.": a later sentence of an answer that names who alone may. */
function readLaterNarrowing(question: Sentence, sentence: Sentence, voice: Voice): Candidate[] {
  const reading = laterNarrowingOf(sentence, question, voice);
  return reading ? [answerCandidate(question, sentence, reading)] : [];
}

/** "Yes, by eight the day before." after "When do schools need final numbers?": the answer read with its question, both quoted. */
function readAnswerTo(question: Sentence, answer: Sentence | undefined, voice: Voice, earlier: Sentence | null): Candidate | null {
  if (!answer || findPhrases(sentenceText(answer), INSTRUCTIONS_TO_TOOLS).length > 0) return null;
  const reading = readEllipticalAnswer(answer, question, voice, earlier);
  return reading ? answerCandidate(question, answer, reading) : null;
}

/** An answer's reading as a candidate: implied by the answer, firm unless hedged, quoted with its question beside it. */
function answerCandidate(question: Sentence, answer: Sentence, reading: AnswerReading): Candidate {
  return {
    ...candidate(answer, answer.start, answer.end, {
      statement: reading.statement,
      actor: reading.actor,
      action: reading.action,
      negative: reading.negative,
      basis: "implied",
      strength: reading.hedges.length > 0 ? "soft" : "firm",
      notes: reading.notes,
      hedges: reading.hedges,
    }),
    context: { sourceId: question.block.source.id, quote: sentenceText(question) },
  };
}

const RETENTION_VERBS = new Set(["keep", "retain", "hold", "store", "archive"]);
const RETENTION_UNITS = new Set(["year", "month", "week", "day"]);

/**
 * Meeting notes state decisions as facts: "vaccinations are done by nurses, not doctors; 10-minute
 * slots", and so does an answer in any conversation ("They're kept for eleven years" after "Any
 * rules on X-rays?", its "they" read as the topic asked about).
 */
function readFact(sentence: Sentence, voice: Voice, topic: Token[] | null, wanted: Wanted = null): Candidate[] {
  const desiredState = wanted !== null;
  const { block } = sentence;
  const text = sentenceText(sentence);
  // A figure may be written in words: "within ten working days".
  // Elsewhere (an interview, an e-mail) a fact is mostly how things are today; only an answer about the topic asked is read as one.
  // What people expect ("Growers expect their money within ten working days") is what they need, said in any kind of source.
  const expects = sentence.tokens.some((token) => token.root === "expect" && token.tags.has("Verb"));
  // "We keep booking records six years for HMRC": how long things are kept is a rule the product keeps, said in any kind of source.
  const { figures } = termsOf(text);
  const retains = sentence.tokens.some((token) => RETENTION_VERBS.has(token.root) && token.tags.has("Verb")) && figures.some((figure) => RETENTION_UNITS.has(figure.unit));
  const decidedByKind = ["meeting_notes", "document"].includes(block.source.kind) || expects || retains;
  const factsAreDecisions = decidedByKind || desiredState;
  // In a written specification a plain statement of what the product does is a requirement ("Customers log in
  // to see their shipments"); in notes and talk it is mostly how things are, and only a figure makes it a decision.
  const specifies = block.source.kind === "document" && !block.spoken;
  const hasFigures = figures.length > 0;
  // Read only because an earlier question asked for the wanted state: held to a plainer test of what it describes.
  const onlyCarried = wanted === "carried" && !(decidedByKind && (hasFigures || specifies));
  const whoDoes = block.asked !== null && sentence === block.sentences[0] ? verbAskedWhoDoes(block.asked) : null;
  if (whoDoes === null && ((!factsAreDecisions && topic === null) || (!hasFigures && !specifies && !desiredState))) return [];
  // "So for next time, Tom looks at the battery question": what the meeting arranges is no fact of the product.
  if (findPhrases(text, [...HEDGES, ...DISCUSSION_MARKERS, ...FACT_VETOES, ...MEETING_TALK]).length > 0 || talksOfToday(text) || estimates(sentence.tokens)) return [];
  if (reportsThePast(sentence)) return [];
  // "So, for Tom's benefit, how it works now. ... The register goes back to 1874 ...": what follows in the turn tells of today.
  if (block.sentences.slice(0, sentence.index).some((before) => talksOfToday(sentenceText(before)))) return [];
  const clauses = splitClauses(sentence);
  let first: { actor: string; action: string } | null = null;
  let usedTopic = false;
  const rendered = clauses.map((clause, index) => {
    // "If a technician has not checked out by then, the control room gets an alert": the fact follows its condition.
    const conditionEnd = conditionLength(clause.tokens, block.source.text);
    const mainVerbAt = declarativeVerb(clause.tokens.slice(conditionEnd), block.source.text);
    // "What do you want instead?" "Wards putting the job in themselves ...": a wish may name who does what by a gerund alone.
    const gerundAt = desiredState ? gerundOfWish(clause.tokens.slice(conditionEnd), block.source.text) : -1;
    const wishedAt = gerundAt >= 0 && (mainVerbAt < 0 || gerundAt < mainVerbAt) ? gerundAt : -1;
    const verbAt = wishedAt >= 0 ? conditionEnd + wishedAt : mainVerbAt >= 0 ? conditionEnd + mainVerbAt : -1;
    const subjectTokens = clause.tokens.slice(conditionEnd, Math.max(verbAt, conditionEnd));
    // "They're kept ...": the pronoun (with its "are") stands for the topic of the question.
    // "What about paying?" names an activity, which no "they" stands for.
    const thingAsked = topic !== null && topic.some((token) => token.tags.has("Noun") && !token.tags.has("Gerund"));
    const pronoun = index === 0 && thingAsked && subjectTokens.length === 1 ? TOPIC_PRONOUN.exec(subjectTokens[0].lower) : null;
    // "What would good look like?" "... And I can see at a glance who hasn't": what the speaker can do then, their side must be able to.
    const speaking = subjectTokens.slice(afterConnectors(subjectTokens));
    // "We keep booking records six years": what the speakers' side keeps, and for how long, it must keep.
    const keptByUs = (words: readonly Token[]) => retains && words.length === 1 && ["we", "you"].includes(words[0].lower);
    const speakers = wanted === "asked" && speaking.length === 1 && SPEAKING_SUBJECTS.has(speaking[0].lower) && clause.tokens[verbAt]?.lower === "can";
    // "How would the porter find out?" "... if nobody accepts within two minutes it goes back to the controller": a wished
    // outcome on a condition, whatever its pronoun stands for (the reviewer reads the quote).
    const outcome = desiredState && conditionEnd > 0 && subjectTokens.length === 1 && OUTCOME_PRONOUNS.has(subjectTokens[0].lower);
    // "What about paying?" "They pay when they book.": a "they" doing the very activity asked about states its rule.
    const doesWhatWasAsked =
      index === 0 && verbAt >= 0 && topic !== null && subjectTokens.length === 1 && TOPIC_PRONOUN.test(subjectTokens[0].lower) && topic.some((token) => isGerund(token) && gerundBase(token) === baseVerb(clause.tokens[verbAt]));
    // "Who pays what?" "The funeral director pays the interment fee and the family pays for ...": the people named doing what the question asks who does.
    const answersWho = whoDoes !== null && verbAt >= 0 && baseVerb(clause.tokens[verbAt]) === whoDoes && namesPeople(subjectTokens);
    if (
      verbAt < 0 ||
      !(pronoun || speakers || outcome || doesWhatWasAsked || answersWho || (factsAreDecisions && (isFactSubject(subjectTokens) || keptByUs(subjectTokens)))) ||
      REPORTING_VERBS.has(clause.tokens[verbAt].root) ||
      lowerAt(clause.tokens, verbAt - 1) === "to" ||
      cutOffFromVerb(subjectTokens, clause.tokens[verbAt], block.source.text)
    ) {
      return renderVoiced(clause, clause.tokens, voice);
    }
    const verb = clause.tokens[verbAt];
    const next = clause.tokens[verbAt + 1];
    if (onlyCarried && index === 0 && !outcome && describesHowThingsAre(clause.tokens, verbAt, subjectTokens, text)) return null;
    const substitutions = new Map<Token, string>(index === 0 ? droppedConnectors(clause.tokens) : []);
    // "Customers may choose e-billing": in a specification, what people may do is what the product must let them do.
    const grantsPermission = specifies && verb.lower === "may" && namesPeople(subjectTokens) && next?.tags.has("Verb") && baseVerb(next) !== "be";
    if (!hasFigures && index === 0 && !grantsPermission && !speakers && !answersWho && !isPlainStatementVerb(clause.tokens, verbAt, block.source.text)) return null;
    // "The receptionist would see all rooms on one screen" guesses: it has no "must" to put in place of its modal.
    if (verb.tags.has("Modal") && GUESSING_MODALS.test(verb.lower) && !grantsPermission) return null;
    const modalSense = grantsPermission || speakers ? "ability" : senseOfModal(verb, clause.tokens.slice(verbAt + 1));
    if (speakers) substitutions.set(speaking[0], voice.staff);
    if (pronoun && topic) {
      usedTopic = true;
      substitutions.set(subjectTokens[0], voicedWords(block.source.text, topic, voice));
      if (pronoun[1]) substitutions.set(verb, `must be ${verb.text}`);
    }
    if (substitutions.has(verb)) {
      // a contracted "are" before the verb became "must be"
    } else if (baseVerb(verb) === "be" && next && ["never", "only", "always", "not"].includes(next.lower)) {
      substitutions.set(verb, "must").set(next, `${next.text} be`);
    } else if (baseVerb(verb) === "be" && next?.lower === "to" && clause.tokens[verbAt + 2]?.tags.has("Verb")) {
      // "Tiles are to have different colours": an instruction
      substitutions.set(verb, "must").set(next, "");
    } else if (modalSense !== null || verb.tags.has("Modal")) {
      // "Customers can request a quote", "will hold 400,000 records", "may be down only between ...":
      // readings.ts senseOfModal; any other modal ("may change", "should") is no rule
      if (modalSense === null) return null;
      substitutions.set(verb, { must: "must", ability: "must be able to", limited_permission: verb.text }[modalSense]);
    } else if (baseVerb(verb) === "expect" && next && next.lower !== "that") {
      // "Growers expect their money within ten working days": what they expect to get, they must receive;
      // "Customers expect to pay by card": what they expect to do, they must be able to.
      if (next.lower === "to") substitutions.set(verb, "must be able").set(next, "to");
      else substitutions.set(verb, "must receive");
    } else {
      substitutions.set(verb, `must ${wishedAt >= 0 ? gerundBase(verb) : baseVerb(verb)}`);
    }
    // "... and the system picking the porter": the wish goes on with another subject and its gerund.
    if (wishedAt >= 0) for (const gerund of gerundsOfWish(clause.tokens, verbAt)) substitutions.set(gerund, `must ${gerundBase(gerund)}`);
    // "Residents booking online, picking the pest ...": a gerund right after a comma goes on with the same subject.
    if (wishedAt >= 0) for (const gerund of clause.tokens.filter((token, at) => at > verbAt && isGerund(token) && commaBetween(block.source.text, clause.tokens[at - 1], token))) substitutions.set(gerund, gerundBase(gerund));
    // "... and the family pays for the right of burial": the same verb of another of the people asked about.
    if (answersWho) for (const later of clause.tokens.slice(verbAt + 1)) if (later.tags.has("PresentTense") && baseVerb(later) === whoDoes) substitutions.set(later, `must ${whoDoes}`);
    // "goes back" and "go down" are different actions: a phrasal verb's particle belongs to it.
    const action = next?.tags.has("Particle") ? `${baseVerb(verb)} ${next.lower}` : baseVerb(verb);
    first ??= { actor: outcome ? "system" : ((pronoun && topic ? headNoun(topic) : headNoun(subjectTokens)) ?? "system"), action };
    return renderVoiced(clause, clause.tokens, voice, substitutions);
  });
  if (first === null || rendered.includes(null)) return [];
  const { actor, action } = first;
  const joined = rendered.map((part, index) => (index === 0 ? part : `${separatorBefore(clauses[index])}${part}`)).join("");
  return [
    candidate(sentence, sentence.start, sentence.end, {
      statement: asStatement(joined),
      actor,
      action,
      negative: false,
      basis: "implied",
      strength: "firm",
      notes: [`stated as a fact in "${block.source.title}", not as a requirement`],
    }),
  ].map((read) => ({ ...read, context: usedTopic && block.asked ? { sourceId: block.source.id, quote: sentenceText(block.asked) } : null }));
}

/**
 * The verb a question asks who does, when it asks so of the product's rules ("And the money side, who
 * pays what?" -> "pay"); null for any other question, and for one about today ("Who does the rota now?").
 */
function verbAskedWhoDoes(question: Sentence): string | null {
  const { tokens } = question;
  const who = tokens.findIndex((token) => token.lower === "who");
  const verb = tokens[who + 1];
  if (who < 0 || !verb?.tags.has("PresentTense") || ["Modal", "Auxiliary", "Copula"].some((tag) => verb.tags.has(tag))) return null;
  const asked = sentenceText(question);
  return talksOfToday(asked) || findPhrases(asked, ["now"]).length > 0 ? null : baseVerb(verb);
}

/**
 * Whether an answer's "how would it work" is more likely how things are: said with "be" ("Half our
 * patients are over seventy"), as going on ("my dog's barking", "get left on trolleys"), of a share or
 * nobody ("Not everyone has email"), or of what others do to the speakers ("The ward sisters ring us").
 * Asked for the wanted state, such a sentence answers it; carried on from an earlier question, it does not.
 */
function describesHowThingsAre(tokens: readonly Token[], verbAt: number, subject: readonly Token[], text: string): boolean {
  const verb = tokens[verbAt];
  const next = tokens[verbAt + 1];
  const first = subject[afterConnectors(subject)]?.lower ?? "";
  return (
    baseVerb(verb) === "be" ||
    verb.tags.has("Copula") ||
    /['’]s$/.test(subject.at(-1)?.text ?? "") ||
    next?.tags.has("Gerund") === true ||
    (baseVerb(verb) === "get" && next?.tags.has("PastTense") === true) ||
    SHARES.has(first) ||
    tokens.slice(verbAt + 1).some((token) => SPEAKERS_AS_OBJECTS.has(token.lower)) ||
    findPhrases(text, HABITS_OF_TODAY).length > 0
  );
}
const SHARES = new Set(["not", "nobody", "no", "half", "few", "most", "some", "many", "none"]);

/** Words a gerund's subject may have before it: "the system picking", "the screen outside each room showing". */
const MAX_WISHED_SUBJECT_WORDS = 5;

/**
 * Where the gerund stands that a wish uses as its verb ("Wards putting the job in themselves", "the system
 * picking the porter"), or -1: a short subject of nouns before it and no finite verb in the clause but
 * inside what a question word opens after it.
 */
function gerundOfWish(tokens: readonly Token[], text: string): number {
  const from = afterConnectors(tokens);
  const at = tokens.findIndex((token, index) => index > from && isGerund(token));
  // "rats, mice, wasps": a word between commas is an item of a list, whatever the tagger calls it.
  const listed = (index: number) => index > 0 && commaBetween(text, tokens[index - 1], tokens[index]) && (tokens[index + 1] === undefined || commaBetween(text, tokens[index], tokens[index + 1]));
  const finite = (token: Token, index: number) =>
    ["Copula", "Modal", "Auxiliary"].some((tag) => token.tags.has(tag)) || (token.tags.has("Verb") && !token.tags.has("Gerund") && ["PresentTense", "PastTense"].some((tag) => token.tags.has(tag)) && !listed(index));
  // "showing who's got it": a verb inside what the gerund shows is no verb of the wish.
  const embedded = tokens.findIndex((token, index) => index > at && token.tags.has("QuestionWord"));
  const ownWords = embedded < 0 ? tokens : tokens.slice(0, embedded);
  // "my dog's barking": a contracted "is" before the gerund says what is going on.
  if (at < 0 || at - from > MAX_WISHED_SUBJECT_WORDS || ownWords.some(finite) || /['’]s$/.test(tokens[at - 1].text)) return -1;
  return isFactSubject(tokens.slice(from, at)) ? at : -1;
}

/** The base form of a gerund, tagged so or not. */
const gerundBase = (token: Token) => (token.tags.has("Gerund") ? baseVerb(token) : (verbOfGerund(token.lower) ?? baseVerb(token)));

/** The gerunds after the first that carry on a wish, each after "and" and a short subject of its own. */
function gerundsOfWish(tokens: readonly Token[], first: number): Token[] {
  return tokens.filter((token, index) => {
    if (index <= first || !isGerund(token)) return false;
    const and = tokens.slice(0, index).findLastIndex((word) => word.lower === "and");
    return and > first && index - and - 1 <= MAX_WISHED_SUBJECT_WORDS && isFactSubject(tokens.slice(and + 1, index));
  });
}

/** "And the invoices go out by ...": the words that join a turn to the talk before are no part of the rule read from it. */
const droppedConnectors = (tokens: readonly Token[]): [Token, string][] => tokens.slice(0, afterConnectors(tokens)).map((token) => [token, ""]);

/**
 * "Every quarter I send the council the number of trips, broken down by ...", "we delete a player's
 * details two years after they leave": what the people talking do for others on a schedule, or to
 * records after a set time, is a duty the product must carry, whoever does it today. Said in the
 * first person and the present tense, with a period ("every month", "quarterly") or a duration, or
 * a charge on an event ("When they go over, we charge the extra ..."). How they work today
 * otherwise ("we phone round every patient") is left alone: its verb is no duty's.
 */
function readStandingDuty(sentence: Sentence, voice: Voice): Candidate[] {
  const { tokens, block } = sentence;
  const text = sentenceText(sentence);
  if (isQuestion(sentence) || talksOfToday(text) || findPhrases(text, [...HEDGES, ...MEETING_TALK, ...SMALL_TALK]).length > 0) return [];
  // "When they go over, we charge the extra ...": a duty may follow the event that sets it off.
  const trigger = conditionLength(tokens, block.source.text);
  const subjectAt = tokens.findIndex((token, index) => index >= trigger && ["i", "we"].includes(token.lower));
  const verb = tokens[subjectAt + 1];
  if (subjectAt < 0 || !verb || !DUTY_VERBS.has(verb.root) || !verb.tags.has("PresentTense") || verb.negated) return [];
  // Before the subject only a connector or the period may stand ("And every month I ...").
  const before = tokens.slice(trigger, subjectAt);
  if (before.some((token) => !CONNECTORS.has(token.lower) && !PERIOD_WORDS.has(token.lower) && !PERIODS.has(token.root) && !token.tags.has("Determiner"))) return [];
  const periodic = tokens.some((token, index) => PERIOD_WORDS.has(token.lower) && (!["every", "each"].includes(token.lower) || PERIODS.has(tokens[index + 1]?.root ?? "")));
  const timed = termsOf(text).figures.some((figure) => DURATION_UNITS.has(figure.unit));
  const charges = trigger > 0 && CHARGING_VERBS.has(verb.root);
  if (!periodic && !timed && !charges) return [];
  const source = block.source.text;
  const substitutions = new Map<Token, string>([...droppedConnectors(tokens), [tokens[subjectAt], voice.staff], [verb, `must ${baseVerb(verb)}`]]);
  const clause: Clause = { sentence, tokens, start: sentence.start, end: sentence.end, sharedSubject: [] };
  const statement = asStatement(renderVoiced(clause, tokens, voice, substitutions).replace(/^,\s*/, ""));
  return [
    candidate(sentence, sentence.start, sentence.end, {
      statement,
      actor: "staff",
      action: baseVerb(verb),
      negative: false,
      basis: "implied",
      strength: "firm",
      notes: [`what the people talking do as a standing duty ("${source.slice(verb.start, verb.end)}" ${periodic ? "on a schedule" : timed ? "after a set time" : "when something happens"}): decide whether the system does it or supports it`],
    }),
  ];
}
/** What the organisation charges or pays back on an event ("When they go over, we charge the extra"). */
const CHARGING_VERBS = new Set(["charge", "bill", "invoice", "refund", "fine"]);
/** Verbs of duties to others or to records. */
const DUTY_VERBS = new Set(["send", "report", "submit", "file", "return", "publish", "delete", "archive", "anonymise", "anonymize", "destroy", "purge", "remove", "notify", ...CHARGING_VERBS]);
const PERIOD_WORDS = new Set(["every", "each", "monthly", "quarterly", "weekly", "annually", "yearly", "daily", "fortnightly"]);
const DURATION_UNITS = new Set(["day", "week", "month", "year", "hour"]);
/** What "every" or "each" counts on a schedule. */
const PERIODS = new Set([...DURATION_UNITS, "quarter", "term", "semester", "season", "night", "morning", "evening", "shift", "weekend", "fortnight"]);

/** Who set a reported rule takes this many words at most ("the health and safety regulator"). */
const MAX_SETTER_WORDS = 5;
// The tagger reads the "has" of "that has to be" as a noun, so these are known by their words.
const AUXILIARIES_AFTER_THAT = new Set(["has", "have", "is", "are", "was", "must", "should", "shall", "will", "can", "may", "needs", "need"]);

/**
 * "And the regulations say we keep it for two years after the last entry", "Our insurer requires
 * that a second person witnesses every entry": what someone who sets rules for the project (a law,
 * a regulator, an auditor, an insurer) is reported to require is a constraint in any tense, where
 * a plain statement of fact in talk is mostly how things are today. The reported clause is read
 * with "must", and keeps who said so ("..., as the regulations say"), in the rule's own words.
 */
function readReportedRule(sentence: Sentence, voice: Voice): Candidate[] {
  const { tokens } = sentence;
  const text = sentence.block.source.text;
  const verbAt = tokens.findIndex((token) => token.tags.has("Verb") && RULE_REPORTING_VERBS.has(token.root));
  const opening = tokens.slice(0, Math.max(verbAt, 0)).filter((token, index) => index > 0 || !CONNECTORS.has(token.lower));
  if (opening.length === 0 || findPhrases(text.slice(opening[0].start, opening.at(-1)!.end), RULE_SETTERS).length === 0) return [];
  // Who set it is a noun phrase that opens the sentence: "Then after thirty days we send the notice, the society's rules
  // say that ..." says more before it, which the ordinary readers read.
  if (opening.length > MAX_SETTER_WORDS || /[,;:]/.test(text.slice(opening[0].start, opening.at(-1)!.end)) || opening.some(isRealVerb)) return [];
  // "told us that ...", "agreed in September that ...": who was told, when, and "that" open the rule rather than belong to it.
  let from = verbAt + 1;
  while (["us", "me", "them"].includes(lowerAt(tokens, from))) from++;
  while (tokens[from]?.tags.has("Preposition") && tokens[from + 1]?.tags.has("Date")) from += 2;
  // "as the regulations say", "as our insurer told us": lower case unless it names someone ("as HMRC requires").
  const setter = opening[0].tags.has("ProperNoun") || /^[A-Z]{2,}/.test(opening[0].text) ? opening[0].text : lowerFirst(opening[0].text);
  const reportedBy = `${setter}${text.slice(opening[0].end, tokens[from - 1].end)}`;
  // "say that the notice ...": "that" opens the rule; in "say that has to be in writing" it is the subject, pointing
  // back to something said before: the ordinary readers read that.
  if (lowerAt(tokens, from) === "that" && AUXILIARIES_AFTER_THAT.has(lowerAt(tokens, from + 1))) return [];
  if (lowerAt(tokens, from) === "that") from++;
  const rule = tokens.slice(from);
  const clause: Clause = { sentence, tokens: rule, start: rule[0]?.start ?? sentence.end, end: sentence.end, sharedSubject: [] };
  const notes = [`reported as a rule set by ${setter}${text.slice(opening[0].end, opening.at(-1)!.end)}: check the wording against the rule itself`];
  // "agreed it's seven days before": the tagger keeps "it's" whole, with no verb in it.
  if (rule.length > 1 && /^(?:it|that|this)['’]s$/i.test(rule[0].text)) {
    const statement = `${renderVoiced(clause, rule, voice, new Map([[rule[0], `${rule[0].text.slice(0, -2)} must be`]]))}, as ${reportedBy}`;
    return [candidate(sentence, sentence.start, sentence.end, { statement: asStatement(statement), actor: "system", action: "be", negative: false, basis: "constraint", strength: "firm", notes })];
  }
  const at = declarativeVerb(rule, text);
  // A rule needs its own subject and verb ("fifteen years for X-rays" is a figure to put somewhere, not a statement).
  if (at < 1) return [];
  const verb = rule[at];
  // "the law says we don't keep ...", "we never share ...": a rule against something; "seven days, not forty-eight hours" is none.
  if (verb.negated || [rule[at - 1], rule[at + 1]].some((token) => token !== undefined && NEGATIONS.has(token.lower))) return [];
  // Who must comply names people or things: "five years last time" (a figure, its "last" misread as a verb) and
  // "seven last season, so check with finance" (a comma cutting a figure off from an order of its own) do not.
  const subject = rule.slice(0, at);
  const namesSomeone = subject.some((token) => token.tags.has("Noun") || token.tags.has("Pronoun"));
  if (!namesSomeone || subject.some((token) => token.tags.has("Value") || /\d/.test(token.text)) || /[,;:]/.test(text.slice(subject[0].start, verb.start))) return [];
  const next = rule[at + 1];
  const substitutions = new Map<Token, string>();
  if (["have", "has", "need", "needs"].includes(verb.lower) && next?.lower === "to") substitutions.set(verb, "must").set(next, "");
  else if (verb.tags.has("Modal") && !["must", "shall"].includes(verb.lower)) return [];
  else if (!verb.tags.has("Modal")) substitutions.set(verb, `must ${baseVerb(verb)}`);
  const statement = `${renderVoiced(clause, rule, voice, substitutions)}, as ${reportedBy}`;
  return [
    candidate(sentence, sentence.start, sentence.end, {
      statement: asStatement(statement),
      actor: headNoun(rule.slice(0, at)) ?? "system",
      // "have to keep": the action is the verb after "to".
      action: baseVerb(substitutions.get(verb) === "must" ? (rule[at + 2] ?? verb) : verb),
      negative: false,
      basis: "constraint",
      strength: "firm",
      notes,
    }),
  ];
}

/**
 * Without a figure, only a clear sentence makes a statement of fact a requirement: a verb with
 * something after it ("Case record." is a heading), not read off a list ("Room types, credits, ..."),
 * and no future or possibility ("will be aligned", "may change"), which is a plan, not a requirement.
 */
function isPlainStatementVerb(tokens: readonly Token[], verbAt: number, text: string): boolean {
  const verb = tokens[verbAt];
  // A bracket closing before the verb ends an aside of the subject ("Amenity stock (soaps, tea) is counted"), not a list.
  if (verbAt === tokens.length - 1 || /[,;:(]/.test(text.slice(tokens[verbAt - 1].end, verb.start))) return false;
  // "Shipment record per booking: shipper, consignee, ... cargo lines with ...": a colon before the verb heads a list.
  if (/[:;]/.test(text.slice(tokens[0].start, verb.start))) return false;
  if (verb.lower === "can") return true;
  // "Dangerous goods lines carry ...": a verb right after the verb means the first was a noun, misread.
  const after = tokens[verbAt + 1];
  // "Customs message formats change": a noun and then a verb after it mean the first was a noun of the subject too.
  const compound = after.tags.has("Noun") && after.tags.has("Plural") && tokens[verbAt + 2]?.tags.has("Verb") && tokens[verbAt + 2].tags.has("PresentTense");
  const misread = compound || (after.tags.has("Verb") && (after.tags.has("PresentTense") || after.tags.has("Infinitive")) && !["be", "have", "do"].includes(baseVerb(verb)));
  return !misread && !verb.tags.has("Modal");
}

// "they", "it", "they're", "it's": a subject standing for the topic of the question answered; group 1 is a contracted "are"/"is".
const SPEAKING_SUBJECTS = new Set(["i", "we"]);
/** Whether a turn tells the wanted state: asked for by its question, or carried on from an earlier one. */
type Wanted = "asked" | "carried" | null;
const OUTCOME_PRONOUNS = new Set(["it", "they"]);
const TOPIC_PRONOUN = /^(?:they|it|these|those)(['’](?:re|s))?$/;

// "would", "could", "might", "may": what could be, not what must.
const GUESSING_MODALS = /^(?:would|could|might|may|[a-z]+['’]d)$/;

// "already", "let's": how things are, or what the meeting does next; "out of scope": what is not built; "there's one
// thing that really matters": a point announced, whose "one" counts nothing. None is a requirement.
const FACT_VETOES = ["already", "by the way", "let's", "let us", "out of scope", "there's one thing", "there is one thing", "one more thing", "another thing"];
// "the plan says sixty": a report of what someone said.
const REPORTING_VERBS = new Set(["say", "think", "tell", "mean", "guess", "know", "hope", "believe", "reckon"]);

// Words after which a past tense belongs to a condition or a description, not to the sentence's own report:
// "if they left a number", "a note of what was missed", "after the guest has left".
const SUBORDINATORS = new Set(["if", "when", "whenever", "once", "after", "before", "until", "unless", "because", "since", "that", "which", "who", "whom", "whose", "what", "where"]);

/**
 * A past participle used as a describing word is no report of what happened: before its noun ("a
 * named clinician", "Hospitalised animals", "e-billed customers"), right after its noun ("a link
 * sent by text"), or completing a passive ("are stored encrypted"). "The centre reviewed sections" is a report.
 */
function describesNoun(tokens: readonly Token[], index: number, text: string): boolean {
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  // "hot desk, fixed desk": a list's next item may open with its participle too.
  const opensItem = before === undefined || before.tags.has("Determiner") || before.tags.has("Adjective") || commaBetween(text, before, tokens[index]);
  const attributive = opensItem && after !== undefined && after.tags.has("Noun") && !after.tags.has("Pronoun");
  if (attributive) return true;
  if (before === undefined) return false;
  // "mark a room as started and finished": a participle after "as" completes the verb before it, and so does one joined to it.
  if (before.lower === "as") return true;
  if (["and", "or"].includes(before.lower) && tokens[index - 2]?.tags.has("PastTense") && describesNoun(tokens, index - 2, text)) return true;
  // "can be used", "must be returned": a participle after a form of "be" completes a passive.
  if (before.tags.has("Passive") || PASSIVE_BE.has(before.lower)) return true;
  // "built from the items charged during the visit": a noun inside a phrase, then its participle, is no report either.
  const inPhrase = tokens[index - 2]?.tags.has("Determiner") === true && tokens[index - 3]?.tags.has("Preposition") === true;
  if (index > 1 && before.tags.has("Noun") && !before.tags.has("Pronoun") && (inPhrase || after?.lower === "by" || TIME_AFTER_PARTICIPLE.has(after?.lower ?? ""))) return true;
  if (narrowsSubject(tokens, index) || completesWithPhrase(tokens, index, text)) return true;
  // "the supervisor marks it inspected", "gets a summary: rooms cleaned, rooms dirty": after a present verb, a
  // participle right after its object, with no object of its own, says what state the object is in.
  const objectBefore = OBJECT_PRONOUNS.has(before.lower) || (before.tags.has("Noun") && !before.tags.has("Pronoun"));
  const ownObject = after !== undefined && ["Determiner", "Noun", "Pronoun", "Value"].some((tag) => after.tags.has(tag)) && !/[,;:]/.test(text.slice(tokens[index].end, after.start));
  return objectBefore && !ownObject && tokens.slice(0, index - 1).some((token) => token.tags.has("PresentTense") && token.tags.has("Verb"));
}

/**
 * "..., with discrepancies (short, over, damaged) recorded with photos": a participle after the noun
 * that "with" introduces says what is done to that noun; it reports nothing.
 */
function completesWithPhrase(tokens: readonly Token[], index: number, text: string): boolean {
  for (let at = index - 1; at > 0; at--) {
    const token = tokens[at];
    if (token.lower === "with") return at < index - 1;
    const bracketed = openBrackets(text.slice(tokens[at].end, tokens[index].start)) < 0;
    if (!isNounPhraseWord(token) && !bracketed) return false;
  }
  return false;
}

const OBJECT_PRONOUNS = new Set(["it", "them", "him", "her", "us", "me", "this", "that", "these", "those"]);
// "gets offered", "is getting sent": a participle after a form of "get" completes a passive too ("got offered" is a report).
const PASSIVE_BE = new Set(["be", "been", "being", "get", "gets", "getting"]);
const TIME_AFTER_PARTICIPLE = new Set(["today", "yesterday", "earlier"]);

/**
 * "The centre reviewed sections 2 and 3 on 14 February": what happened is a report, not a decision.
 * A past tense inside brackets ("(dirty, inspected)"), after a subordinating word, or joined to a
 * passive ("is counted weekly and reordered") does not make the sentence one.
 */
function reportsThePast(sentence: Sentence): boolean {
  const text = sentence.block.source.text;
  let subordinate = false;
  let passive = false;
  let brackets = 0;
  for (const [index, token] of sentence.tokens.entries()) {
    const gap = text.slice(index > 0 ? sentence.tokens[index - 1].end : sentence.start, token.start);
    brackets += openBrackets(gap);
    if (/[;:]/.test(gap)) subordinate = false;
    if (SUBORDINATORS.has(token.lower)) subordinate = true;
    // "declarations are prepared from the invoice and lodged ...": the tagger calls a participle after "are" an adjective.
    // "then they get deleted": "get" before a participle makes a passive too.
    const afterGet = ["get", "gets", "getting"].includes(lowerAt(sentence.tokens, index - 1));
    if (token.tags.has("Passive") || token.tags.has("Participle") || ((sentence.tokens[index - 1]?.tags.has("Copula") || afterGet) && /(?:ed|en)$/.test(token.lower))) passive = true;
    const joinedToPassive = passive && ["and", "or"].includes(lowerAt(sentence.tokens, index - 1));
    // "they've got fourteen days": "have got" is "have", today.
    if (token.lower === "got" && /(?:['’]ve|['’]s)$|^(?:have|has)$/.test(lowerAt(sentence.tokens, index - 1))) continue;
    if (token.tags.has("PastTense") && !token.tags.has("Participle") && !token.tags.has("Passive") && !afterGet && !subordinate && brackets <= 0 && !joinedToPassive && !describesNoun(sentence.tokens, index, text)) return true;
  }
  return false;
}

/**
 * The subject of a fact must name a thing: "Cans get nine months", not "Eight for ale, ten for
 * lager, then". Its head is the noun before any phrase that narrows it ("Children under 12",
 * "Products within 60 days of expiry").
 */
const EVERYONE = new Set(["everybody", "everyone", "anybody", "anyone"]);

function isFactSubject(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token, index) => index > 0 || !CONNECTORS.has(token.lower));
  // "everybody booked gets a text": everyone of a kind is as much a subject as a noun.
  if (words.length > 1 && EVERYONE.has(words[0].lower) && words.slice(1).every((token) => token.tags.has("PastTense") || token.tags.has("Adjective"))) return true;
  if (words.length === 0 || words.some((token) => token.tags.has("Pronoun") || SUBORDINATE_WORDS.has(token.lower))) return false;
  // "Clients moving to another team", "Complaints logged at the desk": a participle after the noun narrows it too.
  const participle = (token: Token) => token.tags.has("Gerund") || (token.tags.has("PastTense") && token.tags.has("Verb"));
  const narrowedAt = words.findIndex((token, index) => index > 0 && (token.tags.has("Preposition") || NARROWING_WORDS.has(token.lower) || participle(token)));
  const head = words[narrowedAt > 0 ? narrowedAt - 1 : words.length - 1];
  // "Costs from carriers ... are recorded": a subject's first word ending in "s", read as a verb, is a plural noun.
  const pluralRead = head === words[0] && narrowedAt > 0 && head.tags.has("PresentTense") && /[^s]s$/.test(head.lower);
  // "The cut-off for bookings": a hyphenated compound after a determiner names a thing, whatever its parts are tagged.
  const compound = head.tags.has("Hyphenated") && words.some((token) => token.tags.has("Determiner"));
  return (head.tags.has("Noun") || compound || pluralRead) && !["Value", "Duration", "Date"].some((tag) => head.tags.has(tag));
}

/**
 * "Two degrees for ten minutes, text to the brewer": a comma right before a verb, with none before it
 * to open an aside, ends a fragment; the verb starts an order of its own, with no subject. A subject
 * reaches its verb without a comma, or after an aside closed by a second one ("Residents, by law, get ...").
 */
function cutOffFromVerb(subject: readonly Token[], verb: Token, text: string): boolean {
  if (subject.length === 0 || !commaBetween(text, subject.at(-1)!, verb)) return false;
  // "Invoices, estimates and letters must ..." lists before its verb; only a comma right before the verb cuts it off.
  return !text.slice(subject[0].start, subject.at(-1)!.end).includes(",");
}

/** Words that start a phrase narrowing the noun before them, which the tagger does not always read as prepositions ("under 12"). */
// "Children under 12", and "Requests that make a room unsellable": a relative clause narrows its noun too.
const NARROWING_WORDS = new Set(["under", "over", "near", "below", "above", "that", "which", "who"]);

/**
 * "About 300 items", "around forty a day": an estimate is a word of approximation before a figure.
 * Before anything else the same words say what a thing concerns ("told about holds") or where it
 * is ("around the clock").
 */
function estimates(tokens: Token[]): boolean {
  return tokens.some((token, index) => {
    if (!ESTIMATE_MARKERS.includes(token.lower)) return false;
    const next = ["a", "an"].includes(lowerAt(tokens, index + 1)) ? tokens[index + 2] : tokens[index + 1];
    return next !== undefined && (next.tags.has("Value") || /\d/.test(next.text));
  });
}

const SUBORDINATE_WORDS = new Set(["if", "when", "whenever", "unless", "while", "because", "so"]);

// ---------------------------------------------------------------------------------------------
// From a reading to candidates: the statement, its quote and what it rests on.

function toCandidates(clause: Clause, found: Reading, scope: Scope): Candidate[] {
  const text = clause.sentence.block.source.text;
  const { predicate, tail } = cutHedgedTail(cutRemark(cutVocative(found.predicate, clause.sentence.block, text), clause.sentence.block, text), text);
  const substitutions = new Map(found.subject.firstPerson ? theirsFor(predicate) : []);
  for (const [token, words] of found.substitutions) substitutions.set(token, words);
  const notes = [...found.subject.notes, ...found.notes];
  let condition = found.subject.condition;
  let usedPrevious = found.subject.usedPrevious;

  const reference = resolveReference(predicate, found, scope);
  if (reference) {
    substitutions.set(reference.token, reference.phrase);
    if (reference.dropped) substitutions.set(reference.dropped, "");
    condition ||= reference.condition;
    usedPrevious = true;
  }
  if (tail) notes.push(`the source adds a hedged option ("${tail}"): decide whether it is required`);

  // The quote shows what the statement rests on: the clause a pronoun points back to, the whole complaint, the shared subject.
  const wholeSentence = found.quoteSentence || clause.sharedSubject.length > 0;
  const quoteStart = usedPrevious && scope.previous ? scope.previous.start : wholeSentence ? clause.sentence.start : clause.start;
  const quoteEnd = found.quoteSentence ? clause.sentence.end : clause.end;
  const coreText = text.slice(quoteStart, tail && predicate.length > 0 ? predicate.at(-1)!.end : quoteEnd);
  const hedges = findPhrases(coreText, HEDGES);

  const authored = clause.sentence.block.authored;
  // A listed requirement kept whole says "must" in each of its clauses: "... and every export shall be logged".
  if (authored) for (const token of predicate) if (["shall", "should"].includes(token.lower)) substitutions.set(token, "must");
  const variants = authored ? [predicate] : coordinatedVerbs(predicate, found.lead);
  return variants.flatMap((variant) => {
    if (isFragment(clause, variant, found, substitutions)) return [];
    // "Polish and Romanian versions": a name keeps its capital.
    const rendered = variant.length > 0 ? renderVoiced(clause, variant, scope.voice, substitutions) : "";
    const predicateText = variant[0]?.tags.has("ProperNoun") && !substitutions.has(variant[0]) ? rendered : lowerFirst(rendered);
    // A complaint tells what went wrong in the past tense; the requirement holds from now on.
    const tensed = found.basis === "complaint" ? presentTenseAfterFirstWord(predicateText) : predicateText;
    const startsWithNever = variant[0]?.lower === "never";
    const statement = asStatement(
      [
        found.subject.connector && `${found.subject.connector},`,
        condition && `${condition},`,
        closeSubjectAside(lowerFirst(found.subject.text)),
        found.limitedPermission ? "may" : "must",
        found.negative && !startsWithNever ? "not" : "",
        found.ability ? "be able to" : "",
        found.lead,
        tensed,
        found.trailing,
      ]
        .filter(Boolean)
        .join(" "),
    );
    return [candidate(clause.sentence, quoteStart, quoteEnd, {
      statement,
      actor: found.subject.actor,
      action: found.lead ? found.lead.split(" ")[0] : actionOf(variant, substitutions),
      negative: found.negative || startsWithNever,
      basis: found.basis,
      strength: hedges.length > 0 ? "soft" : found.strength,
      notes,
      hedges,
      continuesPrevious: found.subject.connector !== "",
    })];
  });
}

/**
 * "I want to extend my booking from my phone" read as "Organisation staff must be able to extend their
 * booking from their phone": what the speaker calls their own belongs to the people the statement names in
 * the speaker's place. ("your" stays: it as often names the organisation addressed as anyone at all.)
 */
function theirsFor(predicate: readonly Token[]): [Token, string][] {
  return predicate.flatMap((token): [Token, string][] => (token.lower === "my" ? [[token, "their"]] : []));
}

// Words a sentence cannot end on: "the final numbers by", "orders can't change after...".
const DANGLING_TAGS = ["Modal", "Auxiliary"];
// "before", "those" and "all" may end a sentence ("the day before", "run on those"); these may not.
const DANGLING_WORDS = new Set([
  "and", "or", "but", "nor", "because", "than", "if", "whether", "unless", "whereas",
  "a", "an", "the", "every", "my", "your", "our", "their", "his", "her", "its", "no",
]);
const BROKEN_OFF = /^\s*(?:\.\.\.|…|[—–-]|\n|$)/;

/**
 * A statement needs a verb phrase that ends where a sentence can: "Orders must not change after"
 * is where the speaker broke off, and "The portal must do not before, though" has no verb of its own.
 */
function isFragment(clause: Clause, variant: readonly Token[], found: Reading, substitutions: ReadonlyMap<Token, string>): boolean {
  // compromise sometimes reads the verb right after a modal as a noun ("able to reset their password"): its place tells.
  const first = variant[0];
  const inVerbPlace = first !== undefined && (isVerbWord(first.lower) || (!found.lead && ["Noun", "Adjective"].some((tag) => first.tags.has(tag)) && !first.tags.has("Pronoun")));
  const hasVerb = inVerbPlace || variant.some((token) => (token.tags.has("Verb") && !token.tags.has("Modal")) || substitutions.has(token));
  const hasContent = variant.some((token) => ["Noun", "Value", "Adjective"].some((tag) => token.tags.has(tag)) && !token.tags.has("Pronoun"));
  if (found.lead ? variant.length > 0 && !hasVerb && !hasContent : !hasVerb) return true;
  const last = variant.at(-1);
  if (!last || found.trailing) return false;
  if (DANGLING_TAGS.some((tag) => last.tags.has(tag)) || DANGLING_WORDS.has(last.lower)) return true;
  const text = clause.sentence.block.source.text;
  // "shares them with." ends a sentence; "change after..." breaks one off.
  return (last.tags.has("Preposition") || last.lower === "to") && BROKEN_OFF.test(text.slice(last.end, last.end + 4));
}

function startsWithPhrase(text: string, phrase: string): boolean {
  const lower = text.toLowerCase().replace(/[’]/g, "'").replace(/^[^\w]+/, "");
  if (lower.startsWith(phrase.replace(/,$/, ""))) return true;
  // "Actually, no, make that eight": a marker of several words, whatever the punctuation between them
  const words = phrase.split(" ");
  return words.length > 1 && `${lower.replace(/[^\w'-]+/g, " ")} `.startsWith(`${words.join(" ")} `);
}

// "make it ten", "make that eight for the house strain": what the correction changes the figure to.
const MAKE_IT = new RegExp(`\\b(?:${CORRECTION_VALUES.map((phrase) => phrase.replace(/ /g, "\\s+")).join("|")})\\s+`, "i");

/**
 * "A parent should be able to cancel a meal until 9:00. No wait, sorry, until 8:30.": the
 * correction updates the figure of the requirement it follows, which then quotes both; a correction
 * without a figure to put in place only tells the reviewer.
 */
function correct(candidate: Candidate, correction: Sentence): boolean {
  const text = sentenceText(correction);
  const old = termsOf(candidate.statement).figures.find((figure) => figure.unit !== "");
  const made = MAKE_IT.exec(text);
  const wording = made ? text.slice(made.index + made[0].length).replace(/[,;]\s+(?:the|it|that|they|we|because|as)\b.*$/i, "").replace(/[.!]+$/, "") : null;
  const newer = termsOf(wording ?? text).figures[0];
  if (!old || !newer || (newer.unit !== "" && newer.unit !== old.unit) || newer.value === old.value || !candidate.statement.includes(old.text)) {
    candidate.notes.push(`the speaker corrects this right after: "${text}"`);
    // "Actually no, make it Wednesday midnight": quoted beside it, so whoever reviews the draft reads the correction in the speaker's words.
    if (made) candidate.context ??= { sourceId: correction.block.source.id, quote: text };
    return false;
  }
  // "eight" for "ten generations" is "eight generations": a bare figure takes the unit it replaces.
  const unitWords = old.text.slice(old.text.search(/\s/) + 1);
  const replacement = wording ?? newer.text;
  const updated = newer.unit === "" && old.unit !== "time of day" && /\s/.test(old.text) ? replacement.replace(newer.text, `${newer.text} ${unitWords}`) : replacement;
  candidate.statement = candidate.statement.replace(old.text, updated);
  candidate.notes.push(`the speaker corrected "${old.text}" to "${newer.text}" right after: "${text}"`);
  candidate.context = { sourceId: correction.block.source.id, quote: text };
  return true;
}

type CandidateFields = Pick<Candidate, "statement" | "actor" | "action" | "negative" | "basis" | "strength" | "notes"> & Partial<Pick<Candidate, "hedges" | "continuesPrevious">>;

function candidate(sentence: Sentence, start: number, end: number, fields: CandidateFields): Candidate {
  const { block } = sentence;
  const { source } = block;
  const span = trimSpan(source.text, start, end);
  return {
    hedges: [],
    continuesPrevious: false,
    context: null,
    ...fields,
    source,
    block,
    sentence,
    quote: { sourceId: source.id, quote: source.text.slice(span.start, span.end) },
    position: span.start,
    consensus: block.speaker?.consensus ?? false,
  };
}

/** "We need a reminder SMS the day before, and maybe an email too, whatever is easier": the tail after the hedge is an afterthought. */
function cutHedgedTail(predicate: Token[], text: string): { predicate: Token[]; tail: string | null } {
  for (let index = 1; index < predicate.length; index++) {
    const afterComma = commaBetween(text, predicate[index - 1], predicate[index]);
    const word = predicate[index].lower;
    const hedged = HEDGED_TAIL_STARTERS.has(word) || (["and", "or"].includes(word) && HEDGED_TAIL_STARTERS.has(lowerAt(predicate, index + 1)));
    if (afterComma && hedged) {
      const tail = text.slice(predicate[index].start, predicate.at(-1)!.end);
      return { predicate: predicate.slice(0, index), tail };
    }
  }
  return { predicate, tail: null };
}

// "that's", "they'd", "it's": a subject and its verb in one word.
const SUBJECT_AND_VERB = /^(?:that|it|they|there|this|he|she|we|i|you|which)['’](?:s|d|re|ve|ll|m)$/i;
// Words that open a clause whose main clause follows a comma; "after" and "before" are mostly prepositions.
const CLAUSE_SUBORDINATORS = new Set(["when", "whenever", "if", "once", "unless", "while", "whereas", "although"]);
const REMARK_SUBJECTS = new Set(["it", "that", "this", "they", "there", "people", "we", "i", "he", "she", "you", "everyone", "nobody"]);

/**
 * "Teachers must never see what other families pay, that's a privacy thing": after a comma the
 * speaker comments with a clause of their own (a subject and its verb); the statement ends before it.
 */
/**
 * "The ticket desk has to be able to sign them off too, Callum.": a name called at the end of a
 * spoken turn addresses someone present; it is not part of the requirement. Places and
 * organisations ("work in Leeds, York") are left alone.
 */
function cutVocative(predicate: Token[], block: Block, text: string): Token[] {
  if (!block.spoken || predicate.length < 2) return predicate;
  const [before, name] = predicate.slice(-2);
  if (!name.tags.has("ProperNoun") || before.tags.has("ProperNoun")) return predicate;
  if (["Place", "Organization", "Value"].some((tag) => name.tags.has(tag)) || !/^\s*,\s*$/.test(text.slice(before.end, name.start))) return predicate;
  return predicate.slice(0, -1);
}

function cutRemark(predicate: Token[], block: Block, text: string): Token[] {
  let subordinate = false;
  let commas = 0;
  for (let index = 1; index < predicate.length; index++) {
    const afterComma = commaBetween(text, predicate[index - 1], predicate[index]);
    if (afterComma) commas += 1;
    // "must list, for the next day, the number of portions ...": a comma that closes an aside goes on with the verb's object.
    if (afterComma && commas % 2 === 0 && isAside(predicate, index, text)) continue;
    // "..., so when someone cancels, the next person gets the spot": the clause after the comma is the main one of "when".
    if (!afterComma) {
      subordinate ||= CLAUSE_SUBORDINATORS.has(predicate[index].lower);
      continue;
    }
    if (subordinate) {
      subordinate = false;
      continue;
    }
    subordinate = CLAUSE_SUBORDINATORS.has(predicate[index].lower);
    const word = predicate[index];
    if (SUBJECT_AND_VERB.test(word.lower)) return predicate.slice(0, index);
    // An item of a requirements list is one requirement as its author wrote it: after a comma, "the
    // number of portions ..." or "the child gets ..." is part of it; only a remark's pronoun ("that's ...") ends it.
    const nounLed = (word.tags.has("Determiner") && !["no", "each", "every", "all", "any"].includes(word.lower)) || (word.tags.has("Noun") && !word.tags.has("Pronoun"));
    const subjectLike = REMARK_SUBJECTS.has(word.lower) || (!block.authored && nounLed);
    if (!subjectLike) continue;
    for (let at = index + 1; at < Math.min(predicate.length, index + 7); at++) {
      if (commaBetween(text, predicate[at - 1], predicate[at])) break;
      const token = predicate[at];
      const finite = token.tags.has("Verb") && (token.tags.has("PresentTense") || token.tags.has("PastTense") || token.tags.has("Copula")) && !token.tags.has("Gerund") && !token.tags.has("Participle");
      if (finite) return predicate.slice(0, index);
    }
  }
  return predicate;
}

/** Whether the words between the comma before `index` and the one before it are a short prepositional aside ("for the next day"). */
function isAside(predicate: Token[], index: number, text: string): boolean {
  const opened = predicate.findLastIndex((token, at) => at > 0 && at < index - 1 && commaBetween(text, predicate[at - 1], token));
  return opened > 0 && index - opened <= 6 && predicate[opened].tags.has("Preposition");
}

/** "Every change to a permit, including its cancellation, must ...": an aside that ends the subject is closed before the obligation. */
function closeSubjectAside(subject: string): string {
  return SUBJECT_ASIDE.test(subject) ? `${subject},` : subject;
}
const SUBJECT_ASIDE = /,\s*(?:including|excluding|except|apart from|other than|such as|especially|in particular)\b[^,]*$/i;

/** "the system should help with that" — "that" stands for the clause before, which the statement spells out. */
function resolveReference(predicate: Token[], found: Reading, scope: Scope): { token: Token; phrase: string; condition: string; dropped?: Token } | null {
  const previous = scope.previous;
  if (!previous) return null;
  const text = previous.sentence.block.source.text;
  // "patients want it the day before": "it" is what the clause before was about.
  if (found.lead === "receive" && predicate[0]?.lower === "it") {
    const earlier = subjectOf(previous.tokens);
    if (earlier.length === 0 || earlier.some((token) => token.tags.has("Pronoun"))) return null;
    const phrase = renderVoiced(previous, earlier, scope.voice);
    return { token: predicate[0], phrase: earlier[0].tags.has("Determiner") ? lowerFirst(phrase) : `the ${phrase}`, condition: "" };
  }
  const standsAlone = (index: number) => {
    const next = predicate[index + 1];
    return !next || !["Noun", "Adjective", "Value", "Determiner", "Pronoun"].some((tag) => next.tags.has(tag));
  };
  const at = predicate.findIndex((token, index) => index > 0 && ["this", "that"].includes(token.lower) && standsAlone(index));
  if (at < 0) return null;
  // "when a doctor is sick I have to call every patient by hand": the task, and when it arises
  const modal = findModal(previous.tokens);
  const before = modal ? readSubject(previous.tokens.slice(0, modal.index), previous, { ...scope, previous: null }) : null;
  if (modal && before?.firstPerson) {
    const phrase = gerundPhrase(text, previous.tokens[modal.verbIndex], previous.tokens.slice(modal.verbIndex + 1));
    return { token: predicate[at], phrase, condition: before.condition };
  }
  const stated = previous.tokens.filter((token) => !CONNECTORS.has(token.lower));
  // "The serving line cannot stop when that happens": what happens is the clause before, as it was said.
  const happens = predicate[at + 1];
  if (happens?.root === "happen" && at > 0 && CONDITIONS.has(predicate[at - 1].lower)) {
    const event = afterHeading(text, stated);
    if (event.length < 2 || !event.some((token) => token.tags.has("Verb")) || event[0].tags.has("Pronoun")) return null;
    return { token: predicate[at], phrase: lowerFirst(renderWords(text, event)), condition: "", dropped: happens };
  }
  const phrase = relativePhrase(text, stated);
  return phrase ? { token: predicate[at], phrase: lowerFirst(phrase), condition: "" } : null;
}

/** "to book and cancel without calling" is two requirements, one per verb. */
function coordinatedVerbs(predicate: Token[], lead: string): Token[][] {
  const [first, joiner, second] = predicate;
  const isVerb = (token: Token | undefined) => token !== undefined && token.tags.has("Verb") && !token.tags.has("Gerund");
  if (lead || predicate.length < 4 || !isVerb(first) || !["and", "or"].includes(joiner.lower) || !isVerb(second)) return [predicate];
  const shared = predicate.slice(3);
  return [
    [first, ...shared],
    [second, ...shared],
  ];
}

function actionOf(predicate: Token[], substitutions: ReadonlyMap<Token, string>): string {
  const verb = predicate.find((token) => token.tags.has("Verb") || substitutions.has(token));
  if (!verb) return "be";
  return (substitutions.get(verb) ?? baseVerb(verb)).split(" ").at(-1)!;
}

function presentTenseAfterFirstWord(text: string): string {
  const space = text.indexOf(" ");
  return space < 0 ? text : `${text.slice(0, space)} ${toPresentTense(text.slice(space + 1))}`;
}

function separatorBefore(clause: Clause): string {
  const text = clause.sentence.block.source.text;
  let start = clause.start;
  while (start > 0 && /[\s;,]/.test(text[start - 1])) start--;
  return text.slice(start, clause.start).replace(/\s+/g, " ");
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /[\s,;:]/.test(text[start])) start++;
  while (end > start && /[\s,;:]/.test(text[end - 1])) end--;
  return { start, end };
}

