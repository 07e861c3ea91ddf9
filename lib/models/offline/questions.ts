import type { OpenQuestion, SourceQuote } from "@/lib/requirements/schema";
import { findPhrases } from "./cues";
import { DISCUSSION_MARKERS, UNDECIDED_ANSWERS } from "./lexicon";
import { upperFirst } from "./phrase";
import { isQuestion, sentenceText, type Block, type Sentence } from "./segment";
import { termsOf } from "./terms";

/**
 * What the notes leave open: "Open question:" lines, questions left standing in the notes, an
 * interviewer's or a speaker's question the answer does not settle ("I don't know yet"), and
 * points marked "let's discuss" — those go with a contradiction when one is about the same thing.
 */
export type DiscussionPoint = { block: Block; quote: SourceQuote; text: string; lemmas: ReadonlySet<string> };

export function findOpenQuestions(blocks: readonly Block[]): { questions: OpenQuestion[]; discussionPoints: DiscussionPoint[] } {
  const questions: OpenQuestion[] = [];
  const discussionPoints: DiscussionPoint[] = [];
  // "> How far ahead can patients book?" answered inline below: asked and answered, like a turn of a conversation.
  const answers = new Map(blocks.flatMap((block) => (block.asked ? [[block.asked, block] as const] : [])));
  for (const block of blocks) {
    if (block.role === "open_question") questions.push(...explicitQuestions(block));
    if (block.role === "interviewer") {
      const undecided = unsettlingAnswer(blocks, block);
      if (undecided) questions.push({ question: upperFirst(spanText(block)), sources: [quoteOf(block), quoteOfSentence(undecided)] });
    }
    if (block.role !== "statement") continue;
    for (const sentence of block.sentences) {
      const text = sentenceText(sentence);
      // In a conversation a question is answered in the next turn; it stays open only when that answer is "I don't know".
      if (isQuestion(sentence) && (block.spoken || answers.has(sentence))) {
        const answer = (answers.get(sentence) ?? blocks[block.index + 1])?.sentences[0];
        if (sentence === block.sentences.at(-1) && answer && findPhrases(sentenceText(answer), UNDECIDED_ANSWERS).length > 0) {
          questions.push({ question: upperFirst(text), sources: [quoteOfSentence(sentence), quoteOfSentence(answer)] });
        }
      } else if (isQuestion(sentence) && block.source.kind !== "ticket_digest") {
        questions.push({ question: upperFirst(text), sources: [quoteOfSentence(sentence)] });
      } else if (findPhrases(text, DISCUSSION_MARKERS).length > 0) {
        discussionPoints.push({ block, quote: quoteOfSentence(sentence), text, lemmas: termsOf(text).lemmas });
      }
    }
  }
  return { questions, discussionPoints };
}

/** "Open question: should patients see the doctor's photo? Dr. A yes, Dr. C no." — the question, quoted with what follows it. */
function explicitQuestions(block: Block): OpenQuestion[] {
  const asked = block.sentences.filter(isQuestion);
  const source = quoteOf(block);
  if (asked.length === 0) return [{ question: upperFirst(spanText(block)), sources: [source] }];
  return asked.map((sentence) => ({ question: upperFirst(sentenceText(sentence)), sources: [source] }));
}

function unsettlingAnswer(blocks: readonly Block[], question: Block): Sentence | null {
  const answers = blocks.filter((block) => block.question === question).flatMap((block) => block.sentences);
  const first = answers[0];
  return first && findPhrases(sentenceText(first), UNDECIDED_ANSWERS).length > 0 ? first : null;
}

const spanText = (block: Block) => block.source.text.slice(block.start, block.end).trim();
const quoteOf = (block: Block): SourceQuote => ({ sourceId: block.source.id, quote: spanText(block) });
const quoteOfSentence = (sentence: Sentence): SourceQuote => ({ sourceId: sentence.block.source.id, quote: sentenceText(sentence) });
