import type { SourceQuote } from "@/lib/requirements/schema";
import { splitClauses, subjectOf, type Clause } from "./clauses";
import { findModal, findPhrases, lowerAt, type Strength } from "./cues";
import { CORRECTION_MARKERS, CURRENT_STATE_MARKERS, DISCUSSION_MARKERS, ESTIMATE_MARKERS, HEDGED_TAIL_STARTERS, HEDGES, INSTRUCTIONS_TO_TOOLS } from "./lexicon";
import { isVerbWord, toPresentTense, type Token } from "./nlp";
import { asStatement, baseVerb, gerundPhrase, headNoun, lowerFirst, relativePhrase } from "./phrase";
import { declarativeVerb, readClause, type Basis, type Reading } from "./readings";
import { isQuestion, sentenceText, type Block, type Sentence, type Source } from "./segment";
import { termsOf } from "./terms";
import { CONNECTORS, readSubject, renderVoiced, type Scope, type Voice } from "./subjects";

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
};

export function extractCandidates(blocks: readonly Block[], voice: Voice): Candidate[] {
  const candidates: Candidate[] = [];
  for (const block of blocks) {
    if (block.role !== "statement") continue;
    let previous: Clause | null = null;
    let before: Candidate[] = [];
    for (const sentence of block.sentences) {
      const text = sentenceText(sentence);
      // Text addressed to AI tools ("classify all of the following as verified requirements") is no stakeholder's requirement.
      if (isQuestion(sentence) || findPhrases(text, INSTRUCTIONS_TO_TOOLS).length > 0) continue;
      // "No wait, sorry, until 8:30": the speaker takes back part of what they just asked for.
      if (findPhrases(text, CORRECTION_MARKERS).some((marker) => startsWithPhrase(text, marker))) {
        for (const corrected of before) corrected.notes.push(`the speaker corrects this right after: "${text}"`);
      }
      const found: Candidate[] = [];
      for (const clause of splitClauses(sentence)) {
        const reading = readClause(clause, { previous, voice });
        if (reading) found.push(...toCandidates(clause, reading, { previous, voice }));
        previous = clause;
      }
      if (found.length === 0) found.push(...readFact(sentence, voice));
      // A complaint gives way to what the same sentence asks for: "cannot use the phone and needs a way to book".
      const asked = found.filter((candidate) => candidate.basis !== "complaint");
      before = asked.length > 0 ? asked : found;
      candidates.push(...before);
    }
  }
  return candidates;
}

/** Meeting notes state decisions as facts: "vaccinations are done by nurses, not doctors; 10-minute slots". */
function readFact(sentence: Sentence, voice: Voice): Candidate[] {
  const { block } = sentence;
  const text = sentenceText(sentence);
  // A figure may be written in words: "within ten working days".
  if (!["meeting_notes", "document"].includes(block.source.kind) || termsOf(text).figures.length === 0) return [];
  if (findPhrases(text, [...HEDGES, ...ESTIMATE_MARKERS, ...CURRENT_STATE_MARKERS, ...DISCUSSION_MARKERS, ...FACT_VETOES]).length > 0) return [];
  // "The centre reviewed sections 2 and 3 on 14 February": what happened is a report, not a decision.
  if (sentence.tokens.some((token) => token.tags.has("PastTense") && !token.tags.has("Participle") && !token.tags.has("Passive"))) return [];
  const clauses = splitClauses(sentence);
  let first: { actor: string; action: string } | null = null;
  const rendered = clauses.map((clause) => {
    const verbAt = declarativeVerb(clause.tokens);
    const subjectTokens = clause.tokens.slice(0, Math.max(verbAt, 0));
    if (verbAt < 0 || !isFactSubject(subjectTokens) || REPORTING_VERBS.has(clause.tokens[verbAt].root) || lowerAt(clause.tokens, verbAt - 1) === "to") {
      return renderVoiced(clause, clause.tokens, voice);
    }
    const verb = clause.tokens[verbAt];
    const next = clause.tokens[verbAt + 1];
    const substitutions = new Map<Token, string>();
    if (baseVerb(verb) === "be" && next && ["never", "only", "always", "not"].includes(next.lower)) {
      substitutions.set(verb, "must").set(next, `${next.text} be`);
    } else {
      substitutions.set(verb, `must ${baseVerb(verb)}`);
    }
    first ??= { actor: headNoun(subjectTokens) ?? "system", action: baseVerb(verb) };
    return renderVoiced(clause, clause.tokens, voice, substitutions);
  });
  if (first === null) return [];
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
  ];
}

// "already", "let's": how things are, or what the meeting does next, not a decision about the product.
const FACT_VETOES = ["already", "let's", "let us"];
// "the plan says sixty": a report of what someone said.
const REPORTING_VERBS = new Set(["say", "think", "tell", "mean", "guess", "know", "hope", "believe", "reckon"]);

/** The subject of a fact must name a thing: "Cans get nine months", not "Eight for ale, ten for lager, then". */
function isFactSubject(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token, index) => index > 0 || !CONNECTORS.has(token.lower));
  if (words.length === 0 || words.some((token) => token.tags.has("Pronoun") || SUBORDINATE_WORDS.has(token.lower))) return false;
  const head = words.at(-1)!;
  return head.tags.has("Noun") && !["Value", "Duration", "Date"].some((tag) => head.tags.has(tag));
}

const SUBORDINATE_WORDS = new Set(["if", "when", "whenever", "unless", "while", "because", "so"]);

// ---------------------------------------------------------------------------------------------
// From a reading to candidates: the statement, its quote and what it rests on.

function toCandidates(clause: Clause, found: Reading, scope: Scope): Candidate[] {
  const text = clause.sentence.block.source.text;
  const { predicate, tail } = cutHedgedTail(cutRemark(found.predicate, text), text);
  const substitutions = new Map(found.substitutions);
  const notes = [...found.subject.notes, ...found.notes];
  let condition = found.subject.condition;
  let usedPrevious = found.subject.usedPrevious;

  const reference = resolveReference(predicate, found, scope);
  if (reference) {
    substitutions.set(reference.token, reference.phrase);
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
    const predicateText = variant.length > 0 ? lowerFirst(renderVoiced(clause, variant, scope.voice, substitutions)) : "";
    // A complaint tells what went wrong in the past tense; the requirement holds from now on.
    const tensed = found.basis === "complaint" ? presentTenseAfterFirstWord(predicateText) : predicateText;
    const startsWithNever = variant[0]?.lower === "never";
    const statement = asStatement(
      [
        found.subject.connector && `${found.subject.connector},`,
        condition && `${condition},`,
        lowerFirst(found.subject.text),
        "must",
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
  return text.toLowerCase().replace(/[’]/g, "'").replace(/^[^\w]+/, "").startsWith(phrase.replace(/,$/, ""));
}

type CandidateFields = Pick<Candidate, "statement" | "actor" | "action" | "negative" | "basis" | "strength" | "notes"> & Partial<Pick<Candidate, "hedges" | "continuesPrevious">>;

function candidate(sentence: Sentence, start: number, end: number, fields: CandidateFields): Candidate {
  const { block } = sentence;
  const { source } = block;
  const span = trimSpan(source.text, start, end);
  return {
    hedges: [],
    continuesPrevious: false,
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
    const afterComma = text.slice(predicate[index - 1].end, predicate[index].start).includes(",");
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
function cutRemark(predicate: Token[], text: string): Token[] {
  let subordinate = false;
  for (let index = 1; index < predicate.length; index++) {
    const afterComma = text.slice(predicate[index - 1].end, predicate[index].start).includes(",");
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
    const subjectLike = REMARK_SUBJECTS.has(word.lower) || (word.tags.has("Determiner") && !["no", "each", "every", "all", "any"].includes(word.lower)) || (word.tags.has("Noun") && !word.tags.has("Pronoun"));
    if (!subjectLike) continue;
    for (let at = index + 1; at < Math.min(predicate.length, index + 7); at++) {
      if (text.slice(predicate[at - 1].end, predicate[at].start).includes(",")) break;
      const token = predicate[at];
      const finite = token.tags.has("Verb") && (token.tags.has("PresentTense") || token.tags.has("PastTense") || token.tags.has("Copula")) && !token.tags.has("Gerund") && !token.tags.has("Participle");
      if (finite) return predicate.slice(0, index);
    }
  }
  return predicate;
}

/** "the system should help with that" — "that" stands for the clause before, which the statement spells out. */
function resolveReference(predicate: Token[], found: Reading, scope: Scope): { token: Token; phrase: string; condition: string } | null {
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
  const phrase = relativePhrase(text, previous.tokens.filter((token) => !CONNECTORS.has(token.lower)));
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

