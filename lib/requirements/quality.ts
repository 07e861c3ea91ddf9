import { tokenizeSentences } from "@/lib/models/offline/nlp";
import { runDraftingTask } from "@/lib/models/offline/threads";
import { checkFaithfulness } from "./checks/faithfulness";
import { checkInjection } from "./checks/injection";
import { checkUserStory, type StoryDraft } from "./checks/user-story";
import { escapeRegExp } from "./checks/text";
import { checkStatementForm } from "./checks/well-formed";
import type { QualityFlag, RequirementCategory, SourceQuote } from "./schema";

export { faithfulnessScore } from "./checks/faithfulness";

/**
 * check-quality: deterministic checks a reviewer would otherwise do by eye. They are tuned to
 * stay quiet on clean requirements; a missed problem costs less than a reviewer who learns to
 * ignore the flags.
 */
export function checkRequirementQuality(statement: string, category: RequirementCategory): QualityFlag[] {
  const tokens = tokenize(statement);
  const vagueWords = findVagueWords(statement);
  const flags = [
    vagueWording(vagueWords),
    unmeasurable(statement, category, tokens, vagueWords),
    ambiguousPronouns(tokens),
    compound(tokens),
  ];
  return flags.filter((flag): flag is QualityFlag => flag !== null);
}

export type RequirementDraftForCheck = { statement: string; category: RequirementCategory; sources: SourceQuote[] };

/**
 * Everything checked before a drafted requirement may be trusted: the wording checks above, plus
 * whether it is a well-formed sentence, says what its quotes say, and is free of instructions
 * aimed at the drafting machinery. `sourceTexts` (source id -> text) gives the passage around
 * each quote, which a faithful rewrite may draw on (the question an answer replies to).
 */
export function checkRequirementDraft(draft: RequirementDraftForCheck, sourceTexts: ReadonlyMap<string, string>): QualityFlag[] {
  const flags = [
    checkStatementForm(draft.statement),
    checkFaithfulness(draft.statement, draft.sources, sourceTexts),
    checkInjection(draft.statement, draft.sources),
  ];
  return [...checkRequirementQuality(draft.statement, draft.category), ...flags.filter((flag): flag is QualityFlag => flag !== null)];
}

/**
 * checkRequirementDraft for each of a run's drafts, by id, on a drafting thread when there is much
 * to read: a large run's checks take seconds, which the server's event loop must not wait through.
 */
export function checkRequirementDrafts(
  drafts: readonly (RequirementDraftForCheck & { id: string })[],
  sourceTexts: ReadonlyMap<string, string>,
): Promise<Record<string, QualityFlag[]>> {
  const size = drafts.reduce((total, draft) => total + draft.statement.length + draft.sources.reduce((sum, source) => sum + source.quote.length, 0), 0);
  const input = drafts.map(({ id, statement, category, sources }) => ({ id, statement, category, sources }));
  return runDraftingTask("checkRequirements", { drafts: input, sourceTexts }, size);
}

/** Everything checked before a drafted user story may be trusted: malformed parts, a story that says one thing thrice, untestable criteria. */
export function checkUserStoryDraft(story: StoryDraft): QualityFlag[] {
  return checkUserStory(story);
}

// ---------------------------------------------------------------------------------------------
// Tokens: from the one NLP pipeline (lib/models/offline/nlp), with positions in the original statement.

type Token = {
  text: string;
  lower: string;
  tags: ReadonlySet<string>;
  start: number;
  end: number;
  /** punctuation and spaces after the word, e.g. ", " or "; " */
  post: string;
  sentence: number;
};

/**
 * Tokens of the one NLP pipeline, with what follows each word and the sentence it is in. Each line
 * is read on its own: in a statement, unlike a source, a line break separates two requirements.
 */
function tokenize(statement: string): Token[] {
  let lineStart = 0;
  const sentences = statement.split("\n").flatMap((line) => {
    const lineSentences = tokenizeSentences(line, lineStart);
    lineStart += line.length + 1;
    return lineSentences;
  });
  const tokens = sentences.flatMap((terms, sentence) =>
    terms.map((term) => ({ text: term.text, lower: term.lower, tags: term.tags, start: term.start, end: term.end, post: "", sentence })),
  );
  tokens.forEach((token, index) => {
    const gap = statement.slice(token.end, tokens[index + 1]?.start);
    token.post = /^[^\p{L}\p{N}]*/u.exec(gap)?.[0] ?? "";
  });
  return tokens;
}

const MODALS = new Set(["must", "shall", "should", "will", "can", "may", "could", "would"]);
const JOINERS = new Set(["and", "or", "and/or", "also", "plus"]);
const SUBORDINATORS = new Set([
  "that", "which", "who", "whom", "whose", "where", "when", "whenever", "if", "unless", "until",
  "because", "while", "before", "after", "once", "so",
]);
// compromise misses many role nouns (it tags "nurses" as a verb), so roles are also listed here.
const PERSON_NOUNS = new Set([
  "admin", "administrator", "approver", "auditor", "caregiver", "clinician", "colleague", "customer",
  "doctor", "employee", "guest", "manager", "member", "nurse", "operator", "owner", "patient", "people",
  "person", "physician", "receptionist", "reviewer", "staff", "stakeholder", "student", "user", "visitor",
]);

const COPULAS = new Set(["be", "is", "are", "was", "were", "remain", "stay"]);

const isModal = (token: Token | undefined) => token !== undefined && MODALS.has(token.lower) && !token.tags.has("Date");
const isPerson = (token: Token) =>
  token.tags.has("Person") || token.tags.has("Actor") || PERSON_NOUNS.has(token.lower.replace(/s$/, ""));
const isNoun = (token: Token) => (token.tags.has("Noun") && !token.tags.has("Pronoun")) || isPerson(token);

/** A new sentence or a ";" starts a new clause that does not depend on the one before. */
function startsIndependentClause(tokens: Token[], index: number): boolean {
  const previous = tokens[index - 1];
  return previous === undefined || previous.sentence !== tokens[index].sentence || previous.post.includes(";");
}

/** Text from the first to the last token, hyphenated words rejoined ("user-friendly"). */
const spanText = (statement: string, first: Token, last: Token) => statement.slice(first.start, last.end);

const quoteList = (words: string[]) => words.map((word) => `'${word}'`).join(", ");

function unique(words: string[]): string[] {
  return [...new Set(words)];
}

// ---------------------------------------------------------------------------------------------
// vague_wording

type VagueGroup = { terms: string[]; why: (word: string) => string };

const vagueGroups: VagueGroup[] = [
  {
    terms: ["fast", "faster", "quick", "quickly", "rapid", "rapidly", "slow", "slowly", "speedy", "as fast as possible", "as quickly as possible"],
    why: (word) => `'${word}' cannot be verified: give a measurable target, e.g. 'within 2 seconds for 95% of searches'`,
  },
  {
    terms: ["user-friendly", "user friendly", "easy", "easily", "easy-to-use", "simple", "intuitive", "intuitively", "convenient", "straightforward", "self-explanatory"],
    why: (word) => `'${word}' is a matter of opinion: give a testable criterion, e.g. '9 of 10 first-time users finish without help'`,
  },
  {
    terms: ["appropriate", "appropriately", "as appropriate", "adequate", "adequately", "sufficient", "sufficiently", "reasonable", "reasonably", "acceptable", "optimal", "minimal", "as needed", "if necessary", "where necessary"],
    why: (word) => `'${word}' leaves the judgement to whoever builds it: state the rule or threshold`,
  },
  {
    terms: ["flexible", "efficient", "efficiently", "modern", "robust", "seamless", "seamlessly", "reliable", "reliably", "scalable", "state-of-the-art", "powerful", "nice"],
    why: (word) => `'${word}' names a quality without a test: say what must happen and how to check it`,
  },
  {
    terms: ["some", "several", "many", "few", "a few", "various", "numerous", "a lot of", "lots of", "a number of", "as many as possible"],
    why: (word) => `'${word}' is not a number: give the exact count or a range`,
  },
  {
    terms: ["often", "frequently", "soon", "regularly", "periodically", "occasionally", "promptly", "timely", "in a timely manner", "as soon as possible", "asap", "eventually"],
    why: (word) => `'${word}' is not a time: give a deadline or an interval, e.g. 'within 24 hours' or 'every night'`,
  },
  {
    terms: ["usually", "normally", "typically", "generally", "mostly"],
    why: (word) => `'${word}' leaves the exceptions open: say when the rule does not apply`,
  },
  {
    terms: ["if possible", "where possible", "as much as possible", "as far as possible", "nice to have"],
    why: (word) => `'${word}' makes the requirement optional: decide whether it is required`,
  },
  { terms: ["etc.", "etc", "and so on"], why: (word) => `'${word}' leaves the list open: name every item` },
  { terms: ["and/or"], why: (word) => `'${word}' is ambiguous: say whether both, either or exactly one is meant` },
  { terms: ["somehow"], why: (word) => `'${word}' leaves the behaviour unspecified: say how` },
  { terms: ["whatever is easier", "whichever is easier"], why: (word) => `'${word}' leaves the choice to whoever builds it: decide` },
];

// Phrases containing a vague word that are precise; matching them first keeps "many" in "how many" quiet.
const preciseTerms = ["how many", "how much", "how often", "how soon", "how fast", "how quickly", "as many as"];

const explainVague = new Map<string, (word: string) => string>(
  vagueGroups.flatMap(({ terms, why }) => terms.map((term) => [term, why] as const)),
);

const normalizeTerm = (text: string) => text.toLowerCase().replace(/\s+/g, " ");

// One alternation, longest terms first, so "as soon as possible" wins over "soon".
// The boundaries also treat "-" as part of a word: "many-to-many" is not "many".
const vaguePattern = new RegExp(
  `(?<![\\w-])(?:${[...explainVague.keys(), ...preciseTerms]
    .sort((a, b) => b.length - a.length)
    .map((term) => escapeRegExp(term).replace(/ /g, "\\s+"))
    .join("|")})(?![\\w-])`,
  "gi",
);

/** Vague words and phrases as they appear in the statement, first occurrence of each. */
function findVagueWords(statement: string): string[] {
  const found = [...statement.matchAll(vaguePattern)].map((match) => match[0]);
  return unique(found.filter((word) => explainVague.has(normalizeTerm(word))));
}

function vagueWording(words: string[]): QualityFlag | null {
  if (words.length === 0) return null;
  return {
    code: "vague_wording",
    words,
    message: words.map((word) => explainVague.get(normalizeTerm(word))!(word)).join("; ") + ".",
  };
}

// ---------------------------------------------------------------------------------------------
// unmeasurable

/** What, besides a quantity, makes a requirement of this category verifiable. */
type Criterion = "quantity" | "named_reference" | "condition";

const measurableCategories: Partial<Record<RequirementCategory, { accepts: Criterion[]; example: string }>> = {
  performance: { accepts: ["quantity"], example: "'95% of searches return within 2 seconds'" },
  availability: { accepts: ["quantity"], example: "'available 99.5% of the time between 07:00 and 19:00'" },
  scalability: { accepts: ["quantity"], example: "'serves 500 concurrent users within the performance targets'" },
  fault_tolerance: { accepts: ["quantity", "condition"], example: "'no confirmed booking is lost when one server fails'" },
  usability: { accepts: ["quantity", "named_reference"], example: "'a first-time patient books an appointment in under 2 minutes'" },
  maintainability: { accepts: ["quantity", "named_reference"], example: "'a new clinic can be configured in under 1 hour'" },
  portability: { accepts: ["quantity", "named_reference"], example: "'runs on the current and previous major versions of iOS and Android'" },
  operational: { accepts: ["quantity", "named_reference"], example: "'can be restored from backup within 4 hours'" },
};

const QUANTITY_WORDS = new Set([
  "no", "never", "none", "zero", "percent", "daily", "hourly", "nightly", "weekly", "monthly", "yearly", "annually",
]);
const QUANTITY_PHRASES = /\b(?:per cent|around the clock|at all times|every (?:second|minute|hour|day|night|week|month|year))\b/i;
const CONDITION_WORDS = new Set(["if", "when", "whenever", "while", "during", "unless", "even"]);
const PLATFORM_NOUNS = /^(?:browsers?|phones?|smartphones?|tablets?|desktops?|laptops?|mobile)$/;

function hasQuantity(statement: string, tokens: Token[]): boolean {
  return (
    /\d/.test(statement) ||
    QUANTITY_PHRASES.test(statement) ||
    tokens.some((token) => token.tags.has("Value") || QUANTITY_WORDS.has(token.lower))
  );
}

/** A standard, product or platform: an acronym or a capitalised word that does not start a sentence. */
function hasNamedReference(tokens: Token[]): boolean {
  return tokens.some(
    (token, index) =>
      PLATFORM_NOUNS.test(token.lower) ||
      (/[A-Z]/.test(token.text) && tokens[index - 1]?.sentence === token.sentence),
  );
}

function meets(criterion: Criterion, statement: string, tokens: Token[]): boolean {
  switch (criterion) {
    case "quantity":
      return hasQuantity(statement, tokens);
    case "named_reference":
      return hasNamedReference(tokens);
    case "condition":
      return tokens.some((token) => CONDITION_WORDS.has(token.lower));
  }
}

const INTENSIFIERS = new Set(["very", "highly", "extremely", "fully", "always", "really"]);

/** The adjectives a statement predicates ("must be fast and user-friendly" -> fast, user-friendly). */
function predicateAdjectives(statement: string, tokens: Token[]): string[] {
  const adjectives: string[] = [];
  tokens.forEach((token, index) => {
    if (!COPULAS.has(token.lower)) return;
    let next = index + 1;
    while (next < tokens.length) {
      const word = tokens[next];
      if (INTENSIFIERS.has(word.lower) || JOINERS.has(word.lower)) {
        next++;
        continue;
      }
      if (!word.tags.has("Adjective") && !word.tags.has("Adverb")) break;
      if (word.lower === "able") break;
      let last = next;
      while (tokens[last].post === "-" && tokens[last + 1]) last++;
      adjectives.push(spanText(statement, word, tokens[last]));
      next = last + 1;
    }
  });
  return unique(adjectives);
}

function unmeasurable(statement: string, category: RequirementCategory, tokens: Token[], vagueWords: string[]): QualityFlag | null {
  const rule = measurableCategories[category];
  if (!rule || rule.accepts.some((criterion) => meets(criterion, statement, tokens))) return null;
  const adjectives = predicateAdjectives(statement, tokens);
  const words = adjectives.length > 0 ? adjectives : vagueWords;
  const instead = words.length > 0 ? ` instead of ${quoteList(words)}` : "";
  return {
    code: "unmeasurable",
    words,
    message: `A ${category.replace(/_/g, " ")} requirement needs a measurable criterion (a number, a time, a percentage)${instead}, e.g. ${rule.example}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// ambiguous_pronoun

type Referent = { head: string; plural: boolean; person: boolean };
type Agreement = (referent: Referent) => boolean;

const singularThing: Agreement = (referent) => !referent.plural && !referent.person;
const pluralOrPerson: Agreement = (referent) => referent.plural || referent.person; // singular "they" for a person
const singularPerson: Agreement = (referent) => referent.person && !referent.plural;
const pronounAgreement = new Map<string, Agreement>([
  ["it", singularThing],
  ["they", pluralOrPerson],
  ["them", pluralOrPerson],
  ["he", singularPerson],
  ["him", singularPerson],
  ["she", singularPerson],
]);
const DEMONSTRATIVES = new Set(["this", "that", "these", "those"]);

/**
 * The noun phrases before `end` a pronoun could point back to, by their head noun.
 * "doctors and nurses" is one plural referent: "they" then has a single candidate.
 */
function referentsBefore(tokens: Token[], end: number): Referent[] {
  const referents: (Referent & { lastIndex: number })[] = [];
  for (let index = 0; index < end; index++) {
    const token = tokens[index];
    if (!isNoun(token) || token.tags.has("Date") || token.tags.has("Value")) continue;
    const referent = { head: token.lower.replace(/s$/, ""), plural: token.tags.has("Plural"), person: isPerson(token), lastIndex: index };
    const previous = referents.at(-1);
    const between = previous ? tokens.slice(previous.lastIndex + 1, index) : [];
    if (previous && between.length === 0) {
      Object.assign(previous, referent); // compound noun: the last noun is the head ("confirmation email")
    } else if (previous && between.length <= 2 && ["and", "or"].includes(between[0].lower) && between.slice(1).every((t) => t.tags.has("Determiner"))) {
      Object.assign(previous, { head: `${previous.head}+${referent.head}`, plural: true, person: previous.person || referent.person, lastIndex: index });
    } else {
      referents.push(referent);
    }
  }
  return [...new Map(referents.map((referent) => [referent.head, referent])).values()];
}

/** "It must be possible to ..." has no referent to miss. */
function isExpletiveIt(tokens: Token[], index: number): boolean {
  let next = index + 1;
  while (isModal(tokens[next]) || tokens[next]?.tags.has("Adverb") || tokens[next]?.tags.has("Negative")) next++;
  return COPULAS.has(tokens[next]?.lower ?? "") && ["to", "that", "for"].includes(tokens[next + 2]?.lower ?? "");
}

/** "we nurses", "we, the clinic staff, ..." name who acts; a bare "we" does not. */
function namesActor(tokens: Token[], index: number): boolean {
  const next = tokens[index + 1];
  if (!next) return false;
  if (!tokens[index].post.includes(",")) return isNoun(next);
  if (!next.tags.has("Determiner")) return false;
  const apposition = tokens.slice(index + 2);
  const close = apposition.findIndex((token) => token.post.includes(","));
  return apposition.slice(0, close === -1 ? undefined : close + 1).some(isNoun);
}

function isUnclearReference(tokens: Token[], index: number): boolean {
  const token = tokens[index];
  const agrees = pronounAgreement.get(token.lower);
  if (agrees && token.tags.has("Pronoun")) {
    if (token.lower === "it" && isExpletiveIt(tokens, index)) return false;
    return referentsBefore(tokens, index).filter(agrees).length !== 1;
  }
  if (DEMONSTRATIVES.has(token.lower)) {
    const next = tokens[index + 1];
    const standsAlone = !next || !(isNoun(next) || next.tags.has("Pronoun") || next.tags.has("Adjective") || next.tags.has("Value") || next.tags.has("Determiner"));
    // "must carry that without ...", "must cope with that": the object points back to a sentence the statement left behind.
    const previous = tokens[index - 1];
    const isObject = previous !== undefined && (previous.tags.has("Verb") || previous.tags.has("Preposition")) && !isModal(previous);
    return standsAlone && (startsIndependentClause(tokens, index) || isObject);
  }
  if (token.lower === "we" || token.lower === "us") return !namesActor(tokens, index);
  return false;
}

function ambiguousPronouns(tokens: Token[]): QualityFlag | null {
  const words = unique(tokens.filter((_, index) => isUnclearReference(tokens, index)).map((token) => token.text));
  if (words.length === 0) return null;
  return {
    code: "ambiguous_pronoun",
    words,
    message: `It is unclear who or what ${quoteList(words)} refers to: name it (e.g. 'the system', 'the patient', 'clinic staff') so every reader and tester reads the same requirement.`,
  };
}

// ---------------------------------------------------------------------------------------------
// compound

/** A word or punctuation mark that joins two requirements, with its position for ordering. */
type Joiner = { text: string; start: number };

const skipsToVerb = (token: Token | undefined) =>
  token !== undefined && (token.tags.has("Adverb") || token.tags.has("Negative") || ["also", "then", "to"].includes(token.lower));

function isBareVerb(token: Token | undefined): boolean {
  if (!token || isModal(token) || isPerson(token)) return false;
  return token.tags.has("Infinitive") || (token.tags.has("PresentTense") && !token.tags.has("Gerund") && !token.lower.endsWith("s"));
}

/** Index of the verb a modal (or "be") governs: the first token that is not a modal, adverb, "not", "also" or "to". */
function verbAfter(tokens: Token[], index: number): number {
  let next = index + 1;
  while (isModal(tokens[next]) || skipsToVerb(tokens[next])) next++;
  return next;
}

/** The clause of a modal ends at the next modal or at the next independent clause. */
function clauseEnd(tokens: Token[], modal: number): number {
  let index = modal + 1;
  while (index < tokens.length && !isModal(tokens[index]) && !startsIndependentClause(tokens, index)) index++;
  return index;
}

/**
 * Joiners between two modal clauses: "must send reminders and doctors must confirm them",
 * "...; it must also ...", or two sentences. A subordinate clause ("must ensure that doctors and
 * nurses can ...") is one requirement, so joiners after "that", "when", ... are skipped.
 */
function clauseJoiners(tokens: Token[], first: number, second: number): Joiner[] {
  for (let index = first + 1; index <= second; index++) {
    if (startsIndependentClause(tokens, index)) {
      const boundary = tokens[index - 1];
      const mark = boundary.post.trim().charAt(0) || "\n"; // ".", "!", "?" or ";"; a bare line break has none
      return [{ text: mark, start: boundary.end }];
    }
  }
  for (let index = first + 1; index < second; index++) {
    const token = tokens[index];
    if (SUBORDINATORS.has(token.lower)) return [];
    if (!JOINERS.has(token.lower)) continue;
    const subject = tokens.slice(index + 1, second);
    if (subject.length <= 5 && subject.every((word) => !word.tags.has("Verb") || isPerson(word))) {
      return [{ text: token.text, start: token.start }];
    }
  }
  return [];
}

/** "with the user, time and record id": a joiner that ends a list of nouns joins nouns, however compromise tags the last one. */
function endsNounList(tokens: Token[], from: number, joiner: number): boolean {
  for (let index = joiner - 1; index > from; index--) {
    if (tokens[index].post.includes(",")) return isNoun(tokens[index + 1]);
  }
  return false;
}

/** "must view or print notes", "must view, print or export notes": verbs listed straight after the modal share one object. */
function listsVerbs(tokens: Token[], verb: number, joiner: number): boolean {
  if (tokens[verb].lower === "be") return false;
  for (let index = verb; index < joiner - 1; index++) {
    if (!tokens[index].post.includes(",")) return false;
  }
  return true;
}

/**
 * Joiners between two actions under one modal: "must book and cancel appointments",
 * "must be available 24/7 and respond in 2 seconds", "must be exported and e-mailed to ...".
 */
function actionJoiners(tokens: Token[], modal: number): Joiner[] {
  const end = clauseEnd(tokens, modal);
  const verb = verbAfter(tokens, modal);
  // In "must be logged ...", a second action is another participle ("and e-mailed"), never a bare verb.
  const passive = tokens[verb]?.lower === "be" && tokens[verbAfter(tokens, verb)]?.tags.has("PastTense") === true;
  const joiners: Joiner[] = [];
  for (let index = verb + 1; index < end; index++) {
    const token = tokens[index];
    if (SUBORDINATORS.has(token.lower)) break;
    if (!JOINERS.has(token.lower)) continue;
    const verbList = listsVerbs(tokens, verb, index);
    if (!verbList && endsNounList(tokens, verb, index)) continue;
    let next = index + 1;
    while (next < end && skipsToVerb(tokens[next])) next++;
    if (next >= end) continue;
    const action = tokens[next];
    const followedByNoun = next + 1 < end && isNoun(tokens[next + 1]);
    // In a list of verbs the word after the joiner is a verb, however compromise tags it ("print").
    const isAction = verbList
      ? !isModal(action)
      : passive
        ? action.tags.has("PastTense") && !followedByNoun
        : isBareVerb(action);
    if (isAction) joiners.push({ text: token.text, start: token.start });
  }
  return joiners;
}

function compound(tokens: Token[]): QualityFlag | null {
  const modals = tokens.flatMap((token, index) => (isModal(token) && !isModal(tokens[index - 1]) ? [index] : []));
  const joiners = [
    ...modals.slice(1).flatMap((second, i) => clauseJoiners(tokens, modals[i], second)),
    ...modals.flatMap((modal) => actionJoiners(tokens, modal)),
  ].sort((a, b) => a.start - b.start);
  if (joiners.length === 0) return null;
  const words = unique(joiners.map((token) => token.text));
  return {
    code: "compound",
    words,
    message: `Several requirements in one statement (joined by ${quoteList(words)}): split them so each can be approved, tested and traced on its own.`,
  };
}
