import type { SourceKind } from "@/lib/requirements/schema";
import {
  ANSWER_LABELS,
  CONSENSUS_LABELS,
  DECISION_LABELS,
  ELABORATION_OPENERS,
  FILLERS_OPENING_CLAUSE,
  GENERATED_SECTIONS,
  INTERVIEWER_LABELS,
  METADATA_LABELS,
  NON_SPEECH_NOTES,
  OPEN_QUESTION_LABELS,
  PERSON_NOUNS,
  PROCESS_LABELS,
  TRANSCRIPT_HEADINGS,
} from "./lexicon";
import { matchAt } from "./clauses";
import { isVerbless, tokenizeSentences, type Token } from "./nlp";
import { tableLines } from "./tables";

/**
 * Reads the structure of stakeholder notes: headings and metadata lines are skipped, "Q:" lines
 * become the context of the answers that follow, "Dr. A:", "[00:12:03] Tom:", "MARIA (Ops):",
 * "<v Tom>" or "- 5 tickets:" prefixes become the block's speaker, "> " lines are the e-mail being
 * replied to, and every passage is split into sentences whose positions index the source, so quotes
 * are always copied from the original text. A turn right after another voice's question (or under
 * the same number in a chat) answers it. A source made of speaker turns is a conversation, whose
 * chatter the readers leave out.
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
  /** for a list item: the line ending with a colon that opens its list ("Here is what the front desk asked for:") */
  listIntro: string | null;
  /** the block ends with the line that opens the list after it: it frames the items, it asks for nothing itself */
  introducesList: boolean;
  speaker: Speaker | null;
  /** for an answer in an interview: the question it answers */
  question: Block | null;
  /**
   * Who is speaking, as the source names them: a speaker label, a transcript's speaker heading, ">"
   * for a line quoted from an earlier e-mail; null for the author of a source without labels.
   */
  voice: string | null;
  /** "1) ..." or "re 2) ..." opening a chat message: the number of the question it asks or answers */
  reference: string | null;
  /** the question another voice asked right before this block, or by its number: what an elliptical answer leaves out */
  asked: Sentence | null;
  /** a turn of a conversation (a transcript, a Q/A interview): people talk around the requirements */
  spoken: boolean;
  /** an item of a list of requirement statements: its author wrote one requirement, to be kept whole */
  authored: boolean;
  /** the body after any list marker and label */
  start: number;
  end: number;
  sentences: Sentence[];
};

export type Sentence = { block: Block; index: number; start: number; end: number; tokens: Token[] };

// "-", "1.", "a)", and the section numbers of a requirements document: "2.1", "3.2.1."
const LIST_MARKER = /^(?:[-*•]|\d{1,2}[.)]|[a-z][.)]|\(?[a-z0-9]{1,2}\)|\d{1,2}(?:\.\d{1,3})+\.?)\s+/;
// A requirement's identifier, after or instead of a list marker: "F.24", "NFR-3", "REQ-012:", "R13", "REQ 5". A letter and a
// single digit ("A4 printouts", "MP3 files") is a word, not an identifier, and so is a standard's name ("ISO 9001").
const REQUIREMENT_ID = /^(?:[A-Z]{1,4}[.-]\d{1,3}(?:\.\d{1,3})*|[A-Z]{1,4}\d{2,4}|(?:REQ|FR|NFR|UR|SR|BR|US) \d{1,4})[.:)]?\s+/;
// A transcript's time code before the speaker: "[00:12:03]", "(12:03)", "00:12:03 -", and the span of a
// speech recogniser's segment ("[00:00:01.020 --> 00:00:03.410] SPEAKER_00: ...", as WhisperX writes it).
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?`;
const TIME_CODE = new RegExp(String.raw`^[[(]?${TIME}(?:\s*-->\s*${TIME})?[\])]?\s*(?:[-–—]\s*)?`);
// Up to three words before a colon: "A:", "Dr. A:", "5 tickets:", "Open question:", "Mechanic Sam:",
// with a role in brackets ("MARIA (Ops):") and markdown emphasis ("**Tom**:", "**Tom:**").
const LABEL = /^(?:\*\*|__)?([A-Za-z0-9][\w'’.-]*(?: [\w'’.-]+){0,2}(?: ?\([^()\n]{1,40}\))?)(?:\*\*|__)?:(?:\*\*|__)?\s+/;
const ROLE_IN_BRACKETS = /\s*\(([^()]*)\)$/;
// A meeting's chat saved with its transcript: "Chat from Ruth Whitfield to Everyone: ...", "From Tom to Me (privately): ...".
// The message is its sender's turn, in the same voice as what they say aloud.
const CHAT_LABEL = /^(?:Chat )?[Ff]rom ([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}) to [\w'’ .-]{1,40}?(?: \([^()\n]{1,20}\))?:\s+/;
// A line of its own naming the speaker of the paragraph below, as transcription tools export it:
// "Lena Fischer  0:03", "Ben Adler 01:02:07", "[Tom Becker] 10:02:03", "Ana Ruiz - 00:01:23", unnamed voices ("Speaker 1  0:02",
// "Unknown Speaker 4:10"), and Rev's "Speaker 1 (00:00:12):". Without a time, a name and a colon alone on a line may open a list.
const SPEAKER_HEADING = /^\[?([A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|\d{1,3})){0,3})\]?(?:\s*[-–—|]\s*|\s+)\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?:?$/;
// WebVTT and SRT cue timings, sequence numbers and the file header carry nothing.
// Teams numbers its cues with an id of its own: "0b1c9a3e-5d2f-4e8a-9c1d-2f3e4a5b6c7d/12-0".
const CUE_TIMING = /^(?:WEBVTT\b.*|\d+|[\d:.,]+\s*-->\s*[\d:.,]+.*|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?:\/\d+-\d+)?)$/i;
const CUE_TIMING_ARROW = /-->/;
// A time on a line of its own: "00:01:23", "[12:03]", "(1:02:07)".
const TIME_ONLY = new RegExp(String.raw`^[[(]?${TIME}[\])]?$`);
// A name alone on its line, as a speaker heading without its time: "John Smith", "Speaker 2".
const NAME_LINE = /^([A-Z][\w'’-]*(?:\.? (?:[A-Z][\w'’-]*|\d{1,3})){0,3})$/;
// A WebVTT voice tag names the speaker of its cue: "<v Priti Shah>When do bookings close?</v>".
const VOICE_TAG = /^<v(?:\.[\w.-]+)*\s+([^>]{1,60})>\s*/;
const VOICE_END = /\s*<\/v>$/;
const OBLIGATION = /\b(?:shall|must|should|may|will|needs? to|has to|have to)\b/i;
// Fewer labelled turns than this is notes with a few labels, not a conversation.
const MIN_TURNS = 3;
const NOT_IN_LABELS = /\b(?:is|are|was|were|must|should|shall|will|can|need|needs)\b/i;
// "> " before a line of an e-mail reply: the earlier message, written by someone else.
const QUOTED_LINE = /^>+\s?/;
// "1) ", "2. " or "re 2) " opening a chat message: a numbered question, or the answer to one.
const REFERENCE = /^(?:re:?\s+)?(\d{1,2})[.)]\s+/i;
const TICKET_COUNT = /^\d+\s+(?:tickets?|reports?|complaints?|calls?|emails?)$/i;
const TITLE_PREFIXES = /^(?:dr|mr|mrs|ms|prof)\.?\s/i;

/** A line that may head a section, as its name: "### Summary", "Action items:", "Transcript" -> "summary", "action items", "transcript". */
const sectionName = (line: string) => line.trim().replace(/^#+\s*/, "").replace(/\s*:$/, "").toLowerCase();

// A research transcript's line number: "014  S1:  ...", "015       ..." (two spaces or a tab after it, unlike a figure in a sentence).
const LINE_NUMBER = /^\d{1,4}(?:\s{2,}|\t)\s*/;
/** Numbered line by line, as conversation analysts transcribe: most lines open with their number. */
function isLineNumbered(lines: readonly string[]): boolean {
  const written = lines.map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  const numbered = written.filter((line) => LINE_NUMBER.test(line)).length;
  return numbered >= MIN_NUMBERED_LINES && numbered >= written.length * MIN_NUMBERED_SHARE;
}
const MIN_NUMBERED_LINES = 5;
// A header and a few notes above the transcript may go unnumbered.
const MIN_NUMBERED_SHARE = 0.6;

/**
 * "0:0:9.420 --> 0:0:12.180" / "Ruth Adeyemi" / "Thanks Tom. ...": where cues open with a name alone
 * on a line above their words, and some name does so more than once, those names head their cues.
 * A cue that is only "Thanks Tom" heads nothing: no words follow it in the cue.
 */
function namesOverCues(lines: readonly string[]): Set<number> {
  const named = lines.flatMap((line, index) => {
    const next = lines[index + 1] ?? "";
    return CUE_TIMING_ARROW.test(lines[index - 1] ?? "") && NAME_LINE.test(line) && next !== "" && !CUE_TIMING.test(next) ? [index] : [];
  });
  const recurs = new Set(named.map((index) => lines[index])).size < named.length;
  return new Set(recurs ? named : []);
}

export function segmentSource(source: Source): Block[] {
  const blocks: Block[] = [];
  let lastQuestion: Block | null = null;
  // A line without a marker or label continues the block above it, unless a blank line, heading or metadata line came between.
  let canContinue = false;
  // The last line that ended with a colon, and its block, until a line other than a list item follows it.
  let listIntro: string | null = null;
  let introBlock: Block | null = null;
  const turns = new Set<Block>();
  let pendingSpeaker: string | null = null;
  // Since the last block's line: a cue timing came, and nothing but cue lines and blank lines.
  let cueBreak = false;
  // Inside a turn, what nobody said: the number, timing and repeated label of the cue it runs on into.
  const elided: { start: number; end: number }[] = [];

  let lineStart = 0;
  const lines = source.text.split("\n");
  const cueHeadings = namesOverCues(lines.map((line) => line.trim()));
  // Rows of a table (Markdown, CSV, TSV): each row's requirement cell is read as a list item, nothing else of the table.
  const tables = tableLines(lines);
  const numbered = isLineNumbered(lines);
  // A meeting tool's summary, details and next steps above its transcript are the tool's words, nobody's requirements.
  const hasTranscript = lines.some((line) => TRANSCRIPT_HEADINGS.includes(sectionName(line)));
  let inGeneratedSection = false;
  for (const [lineIndex, line] of lines.entries()) {
    const lineOffset = lineStart;
    lineStart += line.length + 1;
    const quotedPrefix = QUOTED_LINE.exec(line.trimStart())?.[0] ?? "";
    const trimmed = line.trim().slice(quotedPrefix.length).trim();
    const bodyEnd = lineOffset + line.trimEnd().length - (VOICE_END.exec(line.trimEnd())?.[0].length ?? 0);
    const section = hasTranscript ? sectionName(line) : "";
    const generated = GENERATED_SECTIONS.includes(section);
    if (generated || TRANSCRIPT_HEADINGS.includes(section)) {
      inGeneratedSection = generated;
      canContinue = false;
      continue;
    }
    if (inGeneratedSection) continue;
    const tableCell = tables.get(lineIndex);
    if (tableCell !== undefined) {
      canContinue = false;
      listIntro = null;
      if (tableCell !== null) blocks.push(tableRowBlock(source, blocks.length, tableCell));
      continue;
    }

    if (trimmed === "" || trimmed.startsWith("#") || CUE_TIMING.test(trimmed)) {
      if (CUE_TIMING_ARROW.test(trimmed) && blocks.length > 0) cueBreak = true;
      else if (trimmed.startsWith("#")) cueBreak = false;
      canContinue = false;
      continue;
    }
    const afterCue = cueBreak;
    cueBreak = false;
    // "John Smith" on a line of its own, then "00:01:23" on the next: the name was a speaker heading.
    if (TIME_ONLY.test(trimmed)) {
      const previous = blocks.at(-1);
      const bare = previous !== undefined && previous.voice === null && previous.end === lineOffset - 1;
      const name = bare ? NAME_LINE.exec(source.text.slice(previous.start, previous.end))?.[1] : undefined;
      if (name) {
        blocks.pop();
        pendingSpeaker = name;
      }
      canContinue = false;
      continue;
    }
    // Teams writes a cue as its timing, the speaker's name alone on a line, then what they said.
    if (cueHeadings.has(lineIndex)) {
      pendingSpeaker = trimmed;
      canContinue = false;
      continue;
    }
    // A research transcript numbers every line; what has no number (its header) is no one's turn, and a numbered
    // line without a speaker code carries on the turn above it, its number no part of what was said.
    const lineNumber = numbered ? (LINE_NUMBER.exec(trimmed)?.[0] ?? null) : "";
    if (lineNumber === null) {
      canContinue = false;
      continue;
    }
    if (lineNumber !== "" && readLabel(trimmed.slice(lineNumber.length)) === null) {
      const previous = blocks.at(-1);
      if (canContinue && previous) {
        const indent = line.length - line.trimStart().length;
        const bodyStart = skipSpaces(source.text, lineOffset + indent + lineNumber.length);
        elided.push({ start: previous.end, end: bodyStart });
        previous.end = bodyEnd;
      }
      continue;
    }
    const heading = SPEAKER_HEADING.exec(trimmed)?.[1];
    if (heading !== undefined) {
      pendingSpeaker = heading;
      canContinue = false;
      continue;
    }
    const timeCode = lineNumber || (TIME_CODE.exec(trimmed)?.[0] ?? "");
    const listMarker = timeCode + (LIST_MARKER.exec(trimmed.slice(timeCode.length))?.[0] ?? "");
    const marker = listMarker + (REQUIREMENT_ID.exec(trimmed.slice(listMarker.length))?.[0] ?? "");
    const afterMarker = trimmed.slice(marker.length);
    if (listMarker === "" && trimmed.endsWith(":")) listIntro = trimmed;
    if (listMarker !== "" && listIntro !== null && introBlock !== null) introBlock.introducesList = true;
    const voiceTag = VOICE_TAG.exec(afterMarker);
    const labelMatch = voiceTag ? { label: voiceTag[1].trim(), length: voiceTag[0].length } : readLabel(afterMarker);
    // The paragraph under a speaker heading is that speaker's turn, as if labelled.
    const label = labelMatch?.label ?? (marker === "" && !canContinue ? pendingSpeaker : null);
    pendingSpeaker = null;
    const labelKey = label?.toLowerCase() ?? null;
    if (labelKey !== null && labelMatch !== null && isMetadata(labelKey, afterMarker.slice(labelMatch.length)) && marker === "") {
      canContinue = false;
      continue;
    }
    const previous = blocks.at(-1);
    // A requirements document may put one statement on each line, without bullets or full stops.
    const statementLine = source.kind === "document" && marker === "" && label === null && /^[A-Z]/.test(trimmed) && OBLIGATION.test(trimmed);
    // A line quoted from an earlier e-mail and a line of the reply are never one passage.
    const sameQuoting = previous !== undefined && (previous.voice === ">") === (quotedPrefix !== "");
    if (canContinue && previous && sameQuoting && marker === "" && label === null && !statementLine) {
      previous.end = bodyEnd;
      if (trimmed.endsWith(":")) introBlock = previous;
      continue;
    }
    // A new paragraph that opens no list ends the last one's.
    if (listMarker === "" && !trimmed.endsWith(":")) listIntro = null;

    const role = roleOf(labelKey);
    canContinue = role !== null;
    if (role === null) continue;
    const afterQuote = line.trimStart().slice(quotedPrefix.length);
    const indent = line.length - line.trimStart().length + quotedPrefix.length + (afterQuote.length - afterQuote.trimStart().length);
    const labelLength = labelMatch?.length ?? 0;
    const bodyStart = skipSpaces(source.text, lineOffset + indent + marker.length + labelLength);
    // Transcription tools cut a speaker's words into cues of a few seconds, mid-sentence ("... and
    // they" / "answer with one tap"): the next cue of the same voice runs on in the same turn.
    if (afterCue && previous && label !== null && previous.voice === labelKey?.replace(ROLE_IN_BRACKETS, "") && marker === "") {
      elided.push({ start: previous.end, end: bodyStart });
      previous.end = bodyEnd;
      continue;
    }
    const reference = REFERENCE.exec(source.text.slice(bodyStart, bodyEnd));
    const block: Block = {
      source,
      index: blocks.length,
      role,
      listItem: (marker !== "" && timeCode === "") || statementLine,
      listIntro: listMarker !== "" && timeCode === "" ? listIntro : null,
      introducesList: false,
      speaker: role === "statement" && label !== null && !ANSWER_LABELS.has(labelKey!) ? speakerOf(label, source) : null,
      question: role === "statement" && source.kind === "interview" ? lastQuestion : null,
      // "MARIA (Ops)", "Priti Shah (00:01:02)": the same person whatever the brackets say
      voice: quotedPrefix !== "" ? ">" : (labelKey?.replace(ROLE_IN_BRACKETS, "") ?? null),
      reference: reference?.[1] ?? null,
      asked: null,
      spoken: false,
      authored: false,
      start: bodyStart + (reference?.[0].length ?? 0),
      end: bodyEnd,
      sentences: [],
    };
    if (role === "interviewer") lastQuestion = block;
    if (listMarker === "") introBlock = trimmed.endsWith(":") ? block : null;
    if (label !== null) turns.add(block);
    blocks.push(block);
  }
  // Q/A interviews and transcripts are conversations: every block of them is a turn.
  const conversation = turns.size >= MIN_TURNS && turns.size * 2 >= blocks.length;
  for (const block of blocks) block.spoken = conversation;
  // In a requirements document every stated item is one requirement as its author wrote it.
  if (source.kind === "document") {
    for (const block of blocks) block.authored = block.listItem && OBLIGATION.test(source.text.slice(block.start, block.end));
  }

  // Blocks are read in the source as spoken, with cue lines inside a turn blanked out (same length,
  // so every position still indexes the source); quoteRestorer gives quotes their words back.
  if (elided.length > 0) {
    const spoken = { ...source, text: blankedOut(source.text, elided) };
    for (const block of blocks) block.source = spoken;
  }
  for (const block of blocks) {
    const body = withoutNonSpeech(block.source.text.slice(block.start, block.end));
    const text = block.source.text;
    block.sentences = tokenizeSentences(body, block.start).flatMap((tokens) => splitAtMissedEnds(text, tokens)).map((tokens, index) => ({
      block,
      index,
      // Said twice in a row while speaking ("the the", "for the, for the budget") is said once.
      tokens: block.spoken ? withoutRepeats(text, withoutCutOffWords(text, tokens)) : block.authored ? withSpecificationWill(text, tokens) : tokens,
      ...sentenceSpan(text, tokens),
    }));
  }
  linkAnswers(blocks);
  return blocks;
}

/**
 * Marks each block that answers a question another voice asked just before it, or asked under the
 * same number ("2) how many ..." answered by "2) three in any six months"), in any conversational
 * source: a transcript, a chat, a Q/A interview, an e-mail answering quoted questions inline.
 */
function linkAnswers(blocks: readonly Block[]): void {
  const numbered = new Map<string, Block>();
  blocks.forEach((block, index) => {
    const last = block.sentences.at(-1);
    const asks = last !== undefined && (block.role === "interviewer" || isQuestion(last));
    if (block.role === "statement") {
      const byNumber = block.reference !== null ? numbered.get(block.reference) : undefined;
      block.asked = byNumber && byNumber.voice !== block.voice ? byNumber.sentences.at(-1)! : questionBefore(blocks, index);
    }
    if (asks && block.reference !== null) numbered.set(block.reference, block);
  });
}

/** The question another voice asked in the block right before: only the first turn after a question answers it. */
function questionBefore(blocks: readonly Block[], index: number): Sentence | null {
  const block = blocks[index - 1];
  const last = block === undefined ? undefined : (clarifiedQuestion(block) ?? block.sentences.at(-1));
  if (!last || !(block.role === "interviewer" || isQuestion(last))) return null;
  return block.role === "interviewer" || block.voice !== blocks[index].voice ? last : null;
}

/**
 * "And who sees what? The riders' medical details, for instance.", "Who should be able to see the
 * records? I'm thinking about the names of people buried.", "Who should be able to see the forms?
 * They've got medical questions on them.": a question that ends its turn but for a verbless word on
 * what it asks, a sentence saying what the asker has in mind, or a short remark on the thing asked.
 */
function clarifiedQuestion(block: Block): Sentence | null {
  const [question, clarification] = block.sentences.slice(-2);
  if (!question || !clarification || !isQuestion(question)) return null;
  if (isQuestion(clarification)) return restatesTopic(question, clarification) ? question : null;
  return clarifying(clarification) || elaborates(clarification) || remarksOnAsked(clarification) ? question : null;
}

/**
 * "Reminders? People forgetting appointments?": a topic asked in a word or two, then the same asked
 * again at more length, without a verb of its own either: the first names what the answer is about.
 */
const restatesTopic = (topic: Sentence, restated: Sentence) =>
  topic.tokens.length <= MAX_TOPIC_WORDS && isVerbless(topic.tokens) && !restated.tokens[0]?.tags.has("Preposition") && clarifying(restated);
const MAX_TOPIC_WORDS = 2;

const elaborates = (sentence: Sentence) => matchAt(sentence.tokens, 0, ELABORATION_OPENERS) > 0;

/** "They've got medical questions on them.": a short sentence about what was just asked, by its pronoun, says why it is asked. */
const remarksOnAsked = (sentence: Sentence) => sentence.tokens.length <= MAX_REMARK_WORDS && REMARK_PRONOUNS.test(sentence.tokens[0]?.lower ?? "");
const MAX_REMARK_WORDS = 8;
const REMARK_PRONOUNS = /^(?:they|it|those|these)(?:['’](?:ve|re|s|ll))?$/;

/** The verbless sentence right after a question that says what its "what" stands for, or null. */
export function clarificationOf(question: Sentence): Sentence | null {
  const next = question.block.sentences[question.index + 1];
  return next && next === question.block.sentences.at(-1) && clarifying(next) ? next : null;
}

const clarifying = (sentence: Sentence) => sentence.tokens.some((token) => token.tags.has("Noun") && !token.tags.has("Pronoun")) && isVerbless(sentence.tokens);

// "[laughs]", "(inaudible 00:03:12)", "[crosstalk]", "[P3 laughs]": a bracket opening with a note of what was heard instead
// of words (plain words in the lexicon), perhaps after who made it.
const NON_SPEECH = new RegExp(`[[(]\\s*(?:[A-Z][\\w'’-]*\\s+){0,2}(?:${NON_SPEECH_NOTES.map((note) => note.replace(/ /g, "\\s+")).join("|")})\\b[^\\])\\n]{0,30}[\\])]`, "gi");

function blankedOut(text: string, spans: readonly { start: number; end: number }[]): string {
  let result = "";
  let at = 0;
  for (const { start, end } of spans) {
    result += text.slice(at, start) + " ".repeat(end - start);
    at = end;
  }
  return result + text.slice(at);
}

/**
 * Gives quotes of sources whose blocks were read with cue lines blanked out their words as the
 * source has them: the same span, with the cue lines between the cues of a turn back in place.
 * Quotes of other sources come back unchanged.
 */
export function quoteRestorer(sources: readonly Source[], blocks: readonly Block[]): <T extends { sourceId: string; quote: string }>(quote: T) => T {
  const readText = new Map(blocks.map((block) => [block.source.id, block.source.text]));
  const blanked = new Map(sources.flatMap((source) => (readText.has(source.id) && readText.get(source.id) !== source.text ? [[source.id, { original: source.text, read: readText.get(source.id)! }] as const] : [])));
  return (quote) => {
    const texts = blanked.get(quote.sourceId);
    const at = texts ? texts.read.indexOf(quote.quote) : -1;
    return texts && at >= 0 ? { ...quote, quote: texts.original.slice(at, at + quote.quote.length) } : quote;
  };
}

/** The passage with its non-speech notes blanked out: spaces of the same length keep every position in the source. */
function withoutNonSpeech(passage: string): string {
  return passage.replace(NON_SPEECH, (note) => " ".repeat(note.length));
}

// compromise runs on past a full stop inside closing quotes or brackets: `... conflicts.]" We should ...`.
const MISSED_END = /[.!?]["”’')\]]+\s+$/;

function splitAtMissedEnds(text: string, tokens: Token[]): Token[][] {
  const sentences: Token[][] = [[]];
  tokens.forEach((token, index) => {
    const gap = index === 0 ? "" : text.slice(tokens[index - 1].end, token.start);
    if (MISSED_END.test(gap) && /^[A-Z]/.test(token.text)) sentences.push([]);
    sentences.at(-1)!.push(token);
  });
  return sentences;
}

/** Words a speaker may rightly say twice: "I know that that is wrong", "it had had". */
const REPEATABLE = new Set(["that", "had"]);
const HYPHENS = new Set(["-", "‐"]);
/** The longest false start repeated, in words: "for the, for the budget". */
const MAX_REPEAT_WORDS = 3;

/** "That's- we have to keep that", "I- honestly I don't know": a word broken off by a dash, the speaker starting again. */
const CUT_OFF = /^[-‐–]\s/;

/** The tokens without the words a speaker broke off ("That's-" in "That's- we have to keep that"). */
function withoutCutOffWords(text: string, tokens: Token[]): Token[] {
  return tokens.filter((token, index) => index === tokens.length - 1 || !CUT_OFF.test(text.slice(token.end, tokens[index + 1].start)));
}

/** The tokens with the first copy of each word or short phrase said twice in a row left out, within a sentence. */
function withoutRepeats(text: string, tokens: Token[]): Token[] {
  const kept = [...tokens];
  for (let length = MAX_REPEAT_WORDS; length >= 1; length--) {
    for (let at = 0; at + 2 * length <= kept.length; at++) {
      const first = kept.slice(at, at + length);
      const second = kept.slice(at + length, at + 2 * length);
      const same = first.every((token, offset) => token.lower === second[offset].lower);
      const meaningful = length > 1 || (!REPEATABLE.has(first[0].lower) && !first[0].tags.has("Value"));
      // "... a week. A week": a sentence end between the copies keeps both.
      const oneBreath = !/[.!?]/.test(text.slice(first.at(-1)!.end, second[0].start));
      // "on on-sale day": the second is part of a hyphenated word.
      const hyphenated = HYPHENS.has(text.charAt(second.at(-1)!.end)) || HYPHENS.has(text.charAt(first[0].start - 1));
      // "What do you look at at the end of the month?": a question's preposition left after its verb, then the same one opening a phrase.
      const stranded = length === 1 && first[0].tags.has("Preposition") && kept[0].tags.has("QuestionWord") && kept[at - 1]?.tags.has("Verb") === true;
      if (same && meaningful && oneBreath && !hyphenated && !stranded) kept.splice(at--, length);
    }
  }
  return kept;
}

export function sentenceText(sentence: Sentence): string {
  return sentence.block.source.text.slice(sentence.start, sentence.end);
}

export function isQuestion(sentence: Sentence): boolean {
  const text = sentenceText(sentence).trimEnd();
  if (text.endsWith("?")) return true;
  // Transcribed speech often loses its question marks: "so what does the tool need to do".
  const opening = text.replace(SPOKEN_OPENERS, "");
  // "Can I just say, the cut-off is ...": a speaker's preface asks nothing.
  const prefaced = FILLERS_OPENING_CLAUSE.some((phrase) => opening.toLowerCase().replace(/’/g, "'").startsWith(`${phrase},`));
  return sentence.block.spoken && !prefaced && ASKING.test(opening);
}

const SPOKEN_OPENERS = /^(?:(?:so|okay|ok|and|well|right|sorry|um|uh)\b[,\s]*)+/i;
// A question word before an auxiliary, or an auxiliary before its subject: "what does", "can you", "is there".
const ASKING =
  /^(?:(?:what|how|who|which|where|when|why)\s+(?:do|does|did|is|are|was|were|can|could|should|would|will|must|has|have)\b|(?:do|does|did|can|could|would|will|should|shall|is|are|was|were|have|has)\s+(?:you|we|i|they|it|he|she|anyone|everyone|everybody|somebody|someone|there)\b)/i;

/** The label before a colon, without emphasis, and how many characters it takes with its colon and spaces. */
function readLabel(text: string): { label: string; length: number } | null {
  const chat = CHAT_LABEL.exec(text);
  if (chat) return { label: chat[1], length: chat[0].length };
  const match = LABEL.exec(text);
  if (!match || NOT_IN_LABELS.test(match[1]) || DECISION_LABELS.includes(match[1].toLowerCase())) return null;
  return { label: match[1], length: match[0].length };
}

/** "Interviewer: Analyst" is metadata; "Interviewer: How do you book today?" is a turn. */
function isMetadata(labelKey: string, value: string): boolean {
  if (!METADATA_LABELS.has(labelKey)) return false;
  if (!INTERVIEWER_LABELS.has(labelKey)) return true;
  return !/[.?!]\s*$/.test(value.trim()) || value.trim().split(/\s+/).length < 4;
}

/**
 * "The product will display the temperature": in a list of requirement statements, "will" before a
 * verb is the specification's "shall" (said aloud, it predicts). Read as "shall", so it becomes
 * "must"; its text stays as written. "will be able to" is an ability; any other "will be" keeps its own
 * reading ("will be aligned with the new fares" is a plan).
 */
function withSpecificationWill(text: string, tokens: Token[]): Token[] {
  const at = tokens.findIndex((token) => token.lower === "will");
  const next = tokens[at + 1];
  if (at < 1 || !next) return tokens;
  // Only the statement's own verb: not beside another modal ("... once every team uses them, and the messaging must
  // keep up"), nor after a comma, semicolon or bracket ("; this document describes the app that guests will use").
  if (tokens.some((token) => SPECIFICATION_MODALS.has(token.lower)) || /[,;:(]/.test(text.slice(tokens[0].start, tokens[at].start))) return tokens;
  const able = next.lower === "be" && tokens[at + 2]?.lower === "able";
  if ((next.lower === "be" && !able) || !(next.tags.has("Verb") || next.lower === "not")) return tokens;
  return tokens.map((token, index) => (index === at ? { ...token, lower: "shall", root: "shall" } : token));
}
const SPECIFICATION_MODALS = new Set(["must", "shall", "should", "need", "needs", "may", "can"]);

/** A table row's requirement cell: one item of a list of requirements, as its author wrote it. */
function tableRowBlock(source: Source, index: number, cell: { start: number; end: number }): Block {
  return {
    source,
    index,
    role: "statement",
    listItem: true,
    listIntro: null,
    introducesList: false,
    speaker: null,
    question: null,
    voice: null,
    reference: null,
    asked: null,
    spoken: false,
    authored: false,
    start: cell.start,
    end: cell.end,
    sentences: [],
  };
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
  // "MARIA (Ops)": the role in brackets names the speaker as well as the name does.
  const role = ROLE_IN_BRACKETS.exec(label)?.[1] ?? "";
  const lower = `${label.replace(ROLE_IN_BRACKETS, "")} ${role}`.trim().toLowerCase();
  if (CONSENSUS_LABELS.has(lower)) return { actor: null, consensus: true };
  // "5 tickets:" are reported by the people the digest is about.
  if (TICKET_COUNT.test(label)) return { actor: sourceRole(source), consensus: false };
  if (TITLE_PREFIXES.test(lower)) return { actor: "doctor", consensus: false };
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
