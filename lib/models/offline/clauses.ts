import { findComplaint, findModal, findWish } from "./cues";
import { tokenizeSentences, type Token } from "./nlp";
import type { Sentence } from "./segment";

/**
 * Splits a sentence into the clauses that can each carry a requirement: at semicolons, and at
 * "and"/"but" when what follows has its own modal, wish or complaint ("Patient data must stay in
 * our region and every access must be logged" is two requirements).
 */
export type Clause = {
  sentence: Sentence;
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
  const ranges: Range[] = [];
  let current: Range = { from: 0, to: tokens.length, sharedSubject: [] };
  const cut = (to: number, nextFrom: number, sharedSubject: Token[]) => {
    ranges.push({ ...current, to });
    current = { from: nextFrom, to: tokens.length, sharedSubject };
  };

  for (let index = 1; index < tokens.length; index++) {
    if (text.slice(tokens[index - 1].end, tokens[index].start).includes(";")) {
      cut(index, index, []);
      continue;
    }
    if (!COORDINATORS.has(tokens[index].lower)) continue;
    const left = tokens.slice(current.from, index);
    const right = tokens.slice(index + 1, semicolonAfter(text, tokens, index));
    if (!left.some(isVerb) || !hasOwnCue(right)) continue;
    cut(index, index + 1, isVerb(right[0]) ? subjectOf(left) : []);
  }
  ranges.push(current);

  return ranges.map(({ from, to, sharedSubject }) => {
    const start = from === 0 ? sentence.start : tokens[from].start;
    const end = to === tokens.length ? sentence.end : tokens[to - 1].end;
    // compromise tags a clause after a semicolon better on its own: "show first names" is then a verb.
    const afterSemicolon = from > 0 && text.slice(tokens[from - 1].end, tokens[from].start).includes(";");
    const clauseTokens = afterSemicolon ? tokenizeSentences(text.slice(start, end), start).flat() : tokens.slice(from, to);
    return { sentence, tokens: clauseTokens, start, end, sharedSubject };
  });
}

export function clauseText(clause: Clause): string {
  return clause.sentence.block.source.text.slice(clause.start, clause.end);
}

const isVerb = (token: Token | undefined) => token !== undefined && token.tags.has("Verb");

function hasOwnCue(tokens: Token[]): boolean {
  return findModal(tokens) !== null || findWish(tokens) !== null || findComplaint(tokens) !== null;
}

function semicolonAfter(text: string, tokens: Token[], from: number): number {
  for (let index = from + 1; index < tokens.length; index++) {
    if (text.slice(tokens[index - 1].end, tokens[index].start).includes(";")) return index;
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
