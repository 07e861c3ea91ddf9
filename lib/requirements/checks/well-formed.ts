import type { QualityFlag } from "../schema";
import { isWord, matchesOf, phrasePattern, quoteList, tokenize, unique, type Token } from "./text";
import { statementWords } from "./words";

/**
 * Well-formedness: a requirement statement is one complete sentence with an actor, an obligation
 * and a verb phrase, and none of the source's talk (fillers, speaker voice) or formatting
 * (markup, timestamps, speaker labels). A draft that fails this was cut or copied badly, so its
 * confidence says nothing.
 */
export type Defect = { words: string[]; reason: string };

const markupPatterns = statementWords.markup.map(({ name, pattern }) => ({ name, pattern: new RegExp(pattern, "g") }));

type FillerGuard = { notAfter: string[]; clauseStart: boolean };
const fillerGuards = new Map<string, FillerGuard>(
  statementWords.fillers.map((filler) =>
    typeof filler === "string" ? [filler.toLowerCase(), { notAfter: [], clauseStart: false }] : [filler.phrase.toLowerCase(), filler],
  ),
);
const fillerPattern = phrasePattern([...fillerGuards.keys()]);
const closingFiller = new RegExp(`,\\s*(${statementWords.closingFillers.join("|")})\\s*[.!]?\\s*$`, "iu");
const firstPerson = new Set(statementWords.firstPersonSingular);
const sentenceStarters = new Set(statementWords.sentenceStarters);
const fragmentEnders = new Set(statementWords.fragmentEnders);
const strandable = new Set(statementWords.strandablePrepositions);
const temporalAdverbs = new Set(statementWords.temporalAdverbs);
const questionWords = new Set(statementWords.questionWords);
const negativeActors = new Set(statementWords.negativeActors);
const obligations = new Set(statementWords.obligations);
const obligationPhrasePattern = phrasePattern(statementWords.obligationPhrases);

const previousWord = (text: string, before: number) => /([\p{L}'’-]+)[^\p{L}]*$/u.exec(text.slice(0, before))?.[1]?.toLowerCase();

function markup(text: string): Defect[] {
  return markupPatterns.flatMap(({ name, pattern }) => {
    const found = matchesOf(text, pattern).map((match) => match.text);
    return found.length > 0 ? [{ words: unique(found), reason: `${name} (${quoteList(unique(found))}) is formatting from the source, not part of a requirement` }] : [];
  });
}

function fillers(text: string): Defect[] {
  const found = matchesOf(text, fillerPattern).filter(({ text: word, start }) => {
    const guard = fillerGuards.get(word.toLowerCase().replace(/\s+/g, " "));
    if (guard?.clauseStart && !/(?:^|[,;:.!?])\s*$/.test(text.slice(0, start))) return false;
    const before = previousWord(text, start);
    return before === undefined || !guard?.notAfter.includes(before);
  });
  const closing = closingFiller.exec(text)?.[1];
  if (found.length === 0 && !closing) return [];
  const words = unique([...found.map((match) => match.text), ...(closing ? [closing] : [])]);
  return [{ words, reason: `${quoteList(words)} ${words.length > 1 ? "are" : "is"} spoken filler from the source; a requirement states only what must happen` }];
}

/** Punctuation between two tokens, e.g. ", " or ': "'. */
const gapBefore = (text: string, tokens: Token[], index: number) => (index === 0 ? "" : text.slice(tokens[index - 1].end, tokens[index].start));

/** "after Actually," : a word that starts a sentence, capitalised mid-sentence, is the start of another sentence of the source. */
function danglingCapitals(text: string, sentences: Token[][]): Defect[] {
  const found = sentences.flatMap((tokens) =>
    tokens.filter((token, index) => {
      if (index === 0 || !/^\p{Lu}\p{Ll}/u.test(token.text) || !sentenceStarters.has(token.lower)) return false;
      return !/[:"“‘'(\-–—]/.test(gapBefore(text, tokens, index));
    }),
  );
  if (found.length === 0) return [];
  const words = unique(found.map((token) => token.text));
  const is = words.length > 1 ? "are" : "is";
  return [{ words, reason: `${quoteList(words)} ${is} capitalised in mid-sentence, where another sentence of the source starts: a piece of it was cut in` }];
}

function unbalanced(text: string): Defect[] {
  const found = statementWords.brackets.filter(([open, close]) => text.split(open).length !== text.split(close).length).map(([open, close]) => `${open}${close}`);
  if ((text.match(/"/g) ?? []).length % 2 === 1) found.push('"');
  return found.length > 0 ? [{ words: found, reason: `unbalanced ${quoteList(found)}: a quotation or aside was cut` }] : [];
}

function cutOff(text: string, sentences: Token[][]): Defect[] {
  const trailing = /(\.{3}|…|[,;:\-–—])\s*$/.exec(text.trim())?.[1];
  if (trailing) return [{ words: [trailing], reason: `it ends in '${trailing}': the sentence was cut off` }];
  const words = sentences.at(-1)?.filter(isWord) ?? [];
  const last = words.at(-1);
  if (last && fragmentEnders.has(last.lower) && !endsCompletely(text, words)) {
    return [{ words: [last.text], reason: `it ends on '${last.text}', so the sentence is incomplete` }];
  }
  return [];
}

/** "must close at 09:30; after that.": the clause after a semicolon has no verb, so the rest of it was lost. */
function verblessLastClause(text: string, sentences: Token[][]): Defect[] {
  const words = sentences.at(-1) ?? [];
  const semicolon = words.findLastIndex((token, index) => index > 0 && text.slice(words[index - 1].end, token.start).includes(";"));
  if (semicolon <= 0) return [];
  const clause = words.slice(semicolon).filter(isWord);
  if (clause.length === 0 || clause.some((token) => token.tags.has("Verb"))) return [];
  const shown = clause.map((token) => token.text).join(" ");
  return [{ words: [shown], reason: `'${shown}' after the semicolon has no verb: the rest of that clause was cut off` }];
}

/**
 * Words that usually leave a sentence open can close one: a preposition stranded after the word
 * that governs it ("a drug the patient is allergic to", "anyone the brewery shares them with"),
 * "before"/"after" as adverbs of time ("two hours before", "catch up after"), and paired
 * question words ("with who and when"). After a comma or a function word, it was cut.
 */
function endsCompletely(text: string, words: Token[]): boolean {
  const last = words.at(-1);
  const before = words.at(-2);
  if (!last || !before || /[,;:]/.test(text.slice(before.end, last.start))) return false;
  if (strandable.has(last.lower)) return ["Verb", "Adjective", "Pronoun"].some((tag) => before.tags.has(tag));
  if (temporalAdverbs.has(last.lower)) return !["Determiner", "Conjunction"].some((tag) => before.tags.has(tag));
  if (questionWords.has(last.lower)) return ["and", "or"].includes(before.lower) && questionWords.has(words.at(-3)?.lower ?? "");
  return false;
}

function question(text: string): Defect[] {
  return text.includes("?") ? [{ words: ["?"], reason: "it is a question, not a requirement" }] : [];
}

function speakerVoice(sentences: Token[][]): Defect[] {
  const found = unique(sentences.flat().filter((token) => firstPerson.has(token.lower)).map((token) => token.text));
  return found.length > 0 ? [{ words: found, reason: `${quoteList(found)} is the speaker's own voice: name the role it stands for (e.g. 'the site lead')` }] : [];
}

export type TextDefectOptions = { /** a story's goal and benefit are in the first person by design */ allowFirstPerson?: boolean };

/** Defects any drafted text can have: markup, fillers, cut-off endings, capitals cut in, unbalanced quotes, questions. */
export function findTextDefects(text: string, options: TextDefectOptions = {}): Defect[] {
  const sentences = tokenize(text);
  return [
    ...markup(text),
    ...fillers(text),
    ...(options.allowFirstPerson ? [] : speakerVoice(sentences)),
    ...danglingCapitals(text, sentences),
    ...unbalanced(text),
    ...cutOff(text, sentences),
    ...verblessLastClause(text, sentences),
    ...question(text),
  ];
}

/** Index of the first obligation word of a sentence ("must", "shall", "has to" ...), or -1. */
export function obligationIndex(text: string, tokens: Token[]): number {
  const single = tokens.findIndex((token) => obligations.has(token.lower) && token.tags.has("Verb"));
  const first = tokens[0]?.start ?? 0;
  const last = tokens.at(-1)?.end ?? 0;
  const phrase = matchesOf(text, obligationPhrasePattern)
    .filter((match) => match.start >= first && match.start < last)
    .map((match) => tokens.findIndex((token) => token.start >= match.start))
    .filter((index) => index >= 0);
  const candidates = [single, ...phrase].filter((index) => index >= 0);
  return candidates.length > 0 ? Math.min(...candidates) : -1;
}

const ARTICLES = new Set(["a", "an", "the"]);
// compromise sometimes tags a plural role as an adjective ("riders"), so any word that is not one of these names the actor.
const FUNCTION_TAGS = ["Preposition", "Conjunction", "Adverb", "Negative"];
// "has to", "needs to", "is required to" start at their first word; the rest is skipped on the way to the verb.
const CONJUNCTIONS = new Set(["and", "or", "nor", "but"]);
const SKIP_AFTER_OBLIGATION = new Set(["not", "never", "neither", "also", "always", "only", "still", "to", "required", "each", "both", "all"]);

/** The sentence's shape: an actor before the obligation, a verb after it. */
function structure(text: string, tokens: Token[]): Defect[] {
  const modal = obligationIndex(text, tokens);
  if (modal === -1) {
    return [{ words: [], reason: "it has no obligation ('must', 'shall'): say what must happen" }];
  }
  // The whole stretch before the obligation: commas there may close an aside ("Availability, measured monthly, must ..."), not the subject.
  const subject = tokens.slice(0, modal);
  const defects: Defect[] = [];
  // A bare "Those must ..." has an actor, if an unclear one: that is the ambiguous-pronoun check's finding.
  const names = (token: Token) => isWord(token) && !ARTICLES.has(token.lower) && (token.tags.has("Noun") || !FUNCTION_TAGS.some((tag) => token.tags.has(tag)));
  if (!subject.some(names)) {
    defects.push({ words: [tokens[modal].text], reason: `nobody comes before '${tokens[modal].text}': name the actor (a role, or 'the system')` });
  } else if (opensWithPhraseOnly(text, subject)) {
    // "From a 5-hectolitre must pilot up ...": an opening phrase runs into the obligation, and no actor follows it
    // ("In villages with no signal the van must ..." names one after it; "From Monday, staff must ..." after a comma).
    const shown = text.slice(subject[0].start, subject.at(-1)!.end);
    defects.push({ words: [shown], reason: `'${shown}' before '${tokens[modal].text}' is an opening phrase, not an actor: words of the source were lost` });
  }
  // "supervisors and must engineer": the actor runs on into the obligation. After a verb ("Payments arrive
  // daily and must be posted") the "and" joins two predicates of one actor.
  const lastOfSubject = subject.at(-1);
  if (lastOfSubject && CONJUNCTIONS.has(lastOfSubject.lower) && !subject.some((token) => token.tags.has("Verb"))) {
    const words = [lastOfSubject.text, tokens[modal].text];
    defects.push({ words: [words.join(" ")], reason: `'${words.join(" ")}': the actor breaks off before the obligation, so words of the source were lost` });
  }
  let next = modal + 1;
  while (next < tokens.length && (SKIP_AFTER_OBLIGATION.has(tokens[next].lower) || tokens[next].tags.has("Adverb") || tokens[next].tags.has("Negative"))) next++;
  // "The system must nothing go in the diary": the source's actor ("nothing") ended up after the drafter's own.
  const actor = tokens.slice(modal + 1, next + 1).find((token, index, after) => negativeActors.has(token.lower) || (token.lower === "no" && after[index + 1]?.lower === "one"));
  if (actor) defects.push({ words: [`${tokens[modal].text} ${actor.text}`], reason: `'${actor.text}' after '${tokens[modal].text}' is who acts in the source: it belongs before the obligation` });
  const verb = tokens[next];
  if (!verb || verb.tags.has("Determiner") || verb.tags.has("Preposition") || !isWord(verb)) {
    defects.push({ words: [tokens[modal].text], reason: `no action follows '${tokens[modal].text}': say what must be done` });
  } else if (verb.tags.has("Modal") || obligations.has(verb.lower)) {
    // "must can be renewed", "must may be down": a modal of the source kept behind the drafter's own.
    const words = `${tokens[modal].text} ${verb.text}`;
    defects.push({ words: [words], reason: `'${words}' stacks two modals: one of them is left over from the source` });
  }
  return defects;
}

/**
 * A subject that is only a prepositional phrase: it starts with a preposition, no comma closes the
 * phrase, and no second noun phrase (a determiner or pronoun after the phrase's first noun) follows.
 */
function opensWithPhraseOnly(text: string, subject: Token[]): boolean {
  const words = subject.filter(isWord);
  if (!words[0]?.tags.has("Preposition") || /,/.test(text.slice(subject[0].start, subject.at(-1)!.end))) return false;
  const startsPhrase = (token: Token) => ["Determiner", "Pronoun", "Possessive"].some((tag) => token.tags.has(tag));
  // The phrase's own noun: its first noun, or the word its determiner introduces ("each order", which compromise may read as a verb).
  const firstDeterminer = words.findIndex(startsPhrase);
  const firstNoun = words.findIndex((token, index) => token.tags.has("Noun") || (firstDeterminer >= 0 && index === firstDeterminer + 1));
  return firstNoun < 0 || !words.slice(firstNoun + 1).some(startsPhrase);
}

/** Extra sentences without an obligation are leftovers; ones with their own obligation are the compound check's business. */
function leftoverSentences(text: string, sentences: Token[][]): Defect[] {
  const leftovers = sentences.slice(1).filter((tokens) => obligationIndex(text, tokens) === -1);
  return leftovers.map((tokens) => {
    const words = tokens.filter(isWord).map((token) => token.text);
    const shown = words.length > 4 ? `${words.slice(0, 4).join(" ")} …` : words.join(" ");
    return { words: [shown], reason: `'${shown}' is a second sentence with no requirement in it, left over from the source` };
  });
}

function statementDefects(statement: string): Defect[] {
  const sentences = tokenize(statement);
  if (sentences.length === 0) return [{ words: [], reason: "the statement is empty" }];
  return [...findTextDefects(statement), ...structure(statement, sentences[0]), ...leftoverSentences(statement, sentences)];
}

export function defectsToFlag(defects: Defect[], advice: string): QualityFlag | null {
  if (defects.length === 0) return null;
  return {
    code: "malformed",
    words: unique(defects.flatMap((defect) => defect.words)),
    message: `Not well-formed: ${defects.map((defect) => defect.reason).join("; ")}. ${advice}`,
  };
}

/** malformed: the statement is not one clean sentence of the form "<actor> must <do something>". */
export function checkStatementForm(statement: string): QualityFlag | null {
  return defectsToFlag(statementDefects(statement), "Rewrite it as one sentence: who must do what.");
}
