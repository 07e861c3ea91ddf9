import type { SourceKind } from "@/lib/requirements/schema";
import {
  ANSWER_LABELS,
  CONSENSUS_LABELS,
  INTERVIEWER_LABELS,
  METADATA_LABELS,
  OPEN_QUESTION_LABELS,
  PERSON_NOUNS,
  PROCESS_LABELS,
} from "./lexicon";
import { tokenizeSentences, type Token } from "./nlp";

/**
 * Reads the structure of stakeholder notes: headings and metadata lines are skipped, "Q:" lines
 * become the context of the answers that follow, "Dr. A:" or "- 5 tickets:" prefixes become the
 * block's speaker, and every passage is split into sentences whose positions index the source,
 * so quotes are always copied from the original text.
 */
export type Source = { id: string; title: string; kind: SourceKind; text: string };

export type BlockRole = "statement" | "interviewer" | "open_question";

export type Speaker = {
  /** singular role noun, e.g. "doctor" for "Dr. A"; null for a topic label or a consensus */
  actor: string | null;
  /** "All:" — everybody present agreed */
  consensus: boolean;
};

/** A paragraph, list item or answer: the span a label and an interviewer's question apply to. */
export type Block = {
  source: Source;
  /** order of the block in the source */
  index: number;
  role: BlockRole;
  /** a "-" or "1." item: the stakeholder's unit of thought */
  listItem: boolean;
  speaker: Speaker | null;
  /** for an answer in an interview: the question it answers */
  question: Block | null;
  /** the body after any list marker and label */
  start: number;
  end: number;
  sentences: Sentence[];
};

export type Sentence = { block: Block; index: number; start: number; end: number; tokens: Token[] };

const LIST_MARKER = /^(?:[-*•]|\d{1,2}[.)])\s+/;
// Up to three words before a colon: "A:", "Dr. A:", "5 tickets:", "Open question:", "Mechanic Sam:".
const LABEL = /^([A-Za-z0-9][\w'’.-]*(?: [\w'’.-]+){0,2}):\s+/;
const NOT_IN_LABELS = /\b(?:is|are|was|were|must|should|shall|will|can|need|needs)\b/i;
const TICKET_COUNT = /^\d+\s+(?:tickets?|reports?|complaints?|calls?|emails?)$/i;
const TITLE_PREFIXES = /^(?:dr|mr|mrs|ms|prof)\.?\s/i;

export function segmentSource(source: Source): Block[] {
  const blocks: Block[] = [];
  let lastQuestion: Block | null = null;
  // A line without a marker or label continues the block above it, unless a blank line, heading or metadata line came between.
  let canContinue = false;

  let lineStart = 0;
  for (const line of source.text.split("\n")) {
    const lineOffset = lineStart;
    lineStart += line.length + 1;
    const trimmed = line.trim();
    const bodyEnd = lineOffset + line.trimEnd().length;

    if (trimmed === "" || trimmed.startsWith("#")) {
      canContinue = false;
      continue;
    }
    const marker = LIST_MARKER.exec(trimmed)?.[0] ?? "";
    const afterMarker = trimmed.slice(marker.length);
    const label = readLabel(afterMarker);
    const labelKey = label?.toLowerCase() ?? null;
    if (labelKey !== null && METADATA_LABELS.has(labelKey) && marker === "") {
      canContinue = false;
      continue;
    }
    const previous = blocks.at(-1);
    if (canContinue && previous && marker === "" && label === null) {
      previous.end = bodyEnd;
      continue;
    }

    const role = roleOf(labelKey);
    canContinue = role !== null;
    if (role === null) continue;
    const indent = line.length - line.trimStart().length;
    const labelLength = label === null ? 0 : afterMarker.indexOf(":") + 1;
    const block: Block = {
      source,
      index: blocks.length,
      role,
      listItem: marker !== "",
      speaker: role === "statement" && label !== null && !ANSWER_LABELS.has(labelKey!) ? speakerOf(label, source) : null,
      question: role === "statement" && source.kind === "interview" ? lastQuestion : null,
      start: skipSpaces(source.text, lineOffset + indent + marker.length + labelLength),
      end: bodyEnd,
      sentences: [],
    };
    if (role === "interviewer") lastQuestion = block;
    blocks.push(block);
  }

  for (const block of blocks) {
    const body = source.text.slice(block.start, block.end);
    block.sentences = tokenizeSentences(body, block.start).map((tokens, index) => ({
      block,
      index,
      tokens,
      ...sentenceSpan(source.text, tokens),
    }));
  }
  return blocks;
}

export function sentenceText(sentence: Sentence): string {
  return sentence.block.source.text.slice(sentence.start, sentence.end);
}

export function isQuestion(sentence: Sentence): boolean {
  return sentenceText(sentence).trimEnd().endsWith("?");
}

function readLabel(text: string): string | null {
  const label = LABEL.exec(text)?.[1];
  return label !== undefined && !NOT_IN_LABELS.test(label) ? label : null;
}

/** null for process notes ("Action: ..."), which are skipped. */
function roleOf(labelKey: string | null): BlockRole | null {
  if (labelKey === null) return "statement";
  if (INTERVIEWER_LABELS.has(labelKey)) return "interviewer";
  if (OPEN_QUESTION_LABELS.has(labelKey)) return "open_question";
  if (PROCESS_LABELS.has(labelKey)) return null;
  return "statement";
}

function speakerOf(label: string, source: Source): Speaker {
  const lower = label.toLowerCase();
  if (CONSENSUS_LABELS.has(lower)) return { actor: null, consensus: true };
  // "5 tickets:" are reported by the people the digest is about.
  if (TICKET_COUNT.test(label)) return { actor: sourceRole(source), consensus: false };
  if (TITLE_PREFIXES.test(label)) return { actor: "doctor", consensus: false };
  const person = lower.split(/\s+/).find((word) => PERSON_NOUNS.has(word.replace(/s$/, "")));
  return { actor: person?.replace(/s$/, "") ?? null, consensus: false };
}

/** The role named in a source's title, e.g. "patient" for "Digest of patient complaints". */
export function sourceRole(source: Source): string | null {
  const words = source.title.toLowerCase().split(/[^a-z-]+/);
  const person = words.find((word) => PERSON_NOUNS.has(word.replace(/s$/, "")));
  return person?.replace(/s$/, "") ?? null;
}

/** The sentence's span in the source, widened to its opening quote or bracket and its closing punctuation. */
function sentenceSpan(text: string, tokens: Token[]): { start: number; end: number } {
  let start = tokens[0].start;
  let end = tokens[tokens.length - 1].end;
  while (start > 0 && /["“‘'(]/.test(text[start - 1])) start--;
  while (end < text.length && /[.!?"”’')\]]/.test(text[end])) end++;
  return { start, end };
}

function skipSpaces(text: string, index: number): number {
  while (index < text.length && (text[index] === " " || text[index] === "\t")) index++;
  return index;
}
