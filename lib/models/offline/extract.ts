import type { SourceQuote } from "@/lib/requirements/schema";
import { splitClauses, subjectOf, type Clause } from "./clauses";
import { findModal, findPhrases, lowerAt, type Strength } from "./cues";
import { CURRENT_STATE_MARKERS, ESTIMATE_MARKERS, HEDGED_TAIL_STARTERS, HEDGES } from "./lexicon";
import { toPresentTense, type Token } from "./nlp";
import { asStatement, baseVerb, gerundPhrase, headNoun, lowerFirst, relativePhrase } from "./phrase";
import { declarativeVerb, readClause, type Basis, type Reading } from "./readings";
import { isQuestion, sentenceText, type Block, type Sentence, type Source } from "./segment";
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
    for (const sentence of block.sentences) {
      if (isQuestion(sentence)) continue;
      const found: Candidate[] = [];
      for (const clause of splitClauses(sentence)) {
        const reading = readClause(clause, { previous, voice });
        if (reading) found.push(...toCandidates(clause, reading, { previous, voice }));
        previous = clause;
      }
      if (found.length === 0) found.push(...readFact(sentence, voice));
      // A complaint gives way to what the same sentence asks for: "cannot use the phone and needs a way to book".
      const asked = found.filter((candidate) => candidate.basis !== "complaint");
      candidates.push(...(asked.length > 0 ? asked : found));
    }
  }
  return candidates;
}

/** Meeting notes state decisions as facts: "vaccinations are done by nurses, not doctors; 10-minute slots". */
function readFact(sentence: Sentence, voice: Voice): Candidate[] {
  const { block } = sentence;
  const text = sentenceText(sentence);
  if (!["meeting_notes", "document"].includes(block.source.kind) || !/\d/.test(text)) return [];
  if (findPhrases(text, [...HEDGES, ...ESTIMATE_MARKERS, ...CURRENT_STATE_MARKERS]).length > 0) return [];
  const clauses = splitClauses(sentence);
  let first: { actor: string; action: string } | null = null;
  const rendered = clauses.map((clause) => {
    const verbAt = declarativeVerb(clause.tokens);
    const subjectTokens = clause.tokens.slice(0, Math.max(verbAt, 0));
    if (verbAt < 0 || subjectTokens.some((token) => token.tags.has("Pronoun"))) return renderVoiced(clause, clause.tokens, voice);
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

// ---------------------------------------------------------------------------------------------
// From a reading to candidates: the statement, its quote and what it rests on.

function toCandidates(clause: Clause, found: Reading, scope: Scope): Candidate[] {
  const text = clause.sentence.block.source.text;
  const { predicate, tail } = cutHedgedTail(found.predicate, text);
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

  return coordinatedVerbs(predicate, found.lead).map((variant) => {
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
    return candidate(clause.sentence, quoteStart, quoteEnd, {
      statement,
      actor: found.subject.actor,
      action: found.lead ? found.lead.split(" ")[0] : actionOf(variant, substitutions),
      negative: found.negative || startsWithNever,
      basis: found.basis,
      strength: hedges.length > 0 ? "soft" : found.strength,
      notes,
      hedges,
      continuesPrevious: found.subject.connector !== "",
    });
  });
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
  return phrase ? { token: predicate[at], phrase, condition: "" } : null;
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

