import type { Conflict, SourceQuote } from "@/lib/requirements/schema";
import { findPhrases } from "./cues";
import type { Evidence, Group } from "./group";
import { ANSWER_WORDS, EXTENSION_MARKERS, OBJECTION_MARKERS, OPEN_MARKERS, POINTING_BACK } from "./lexicon";
import { pluralNoun, type Token } from "./nlp";
import { headNoun, isPersonWord } from "./phrase";
import type { DiscussionPoint } from "./questions";
import { sentenceText, type Block, type Sentence, type Source } from "./segment";
import { differingFigures, jaccard, normalizeLemma, sharedCount, termsOf, type Figure, type Terms } from "./terms";

/**
 * Contradictions between sources, or between two passages of one source: the same actor and
 * action with opposite polarity ("patients must be able to cancel" against "I do NOT want
 * patients to cancel"), or the same thing with different figures ("up to 7 days" against
 * "14 days", "by 14:00" against "by 8:00"). Every requirement taking part in the same
 * disagreement is gathered into one conflict, however many there are. A figure challenged by a
 * passage that is no requirement itself ("The auditor said five years") is a conflict as well.
 */
export type FoundConflict = {
  conflict: Conflict;
  /** the requirements on each side: those that ask for it and those that rule it out, or one side per figure */
  sides: Group[][];
  /** for a figure challenged by a passage that is no requirement itself: the figure it challenges, the one it gives instead, and the passage */
  counter?: { from: Figure; to: Figure; quote: SourceQuote };
};

/** One side of a disagreement: the requirements that say the same thing, e.g. "7 days". */
type Side = { position: string; says: { one: string; many: string }; groups: Group[] };
type Disagreement = { topic: string; sides: Side[] };

type Contradiction =
  | { kind: "polarity"; key: string; topic: string; allowing: Group; refusing: Group }
  | { kind: "figures"; key: string; figures: [Figure, Figure]; first: Group; second: Group };

/** `blocks`: the segmented sources the groups were read from, where later passages may correct a figure. */
export function findConflicts(
  groups: readonly Group[],
  idOf: (group: Group) => string,
  discussionPoints: readonly DiscussionPoint[],
  blocks: readonly Block[],
): FoundConflict[] {
  const between = betweenRequirements(groups, idOf, discussionPoints);
  const reported = new Set(between.flatMap(({ sides }) => pairsOf(sides.flat())));
  const later = againstLaterPassages(groups, idOf, blocks, reported);
  for (const { sides } of later) for (const pair of pairsOf(sides.flat())) reported.add(pair);
  return [...between, ...later, ...betweenRoles(groups, idOf, reported)];
}

const pairKey = (a: Group, b: Group) => [a.statement, b.statement].sort().join("\u0000");
const pairsOf = (groups: readonly Group[]) => groups.flatMap((a, index) => groups.slice(index + 1).map((b) => pairKey(a, b)));

function betweenRequirements(groups: readonly Group[], idOf: (group: Group) => string, discussionPoints: readonly DiscussionPoint[]): FoundConflict[] {
  const disagreements = new Map<string, Disagreement>();
  const wordings = groups.map(wordingsOf);
  const rivals = rivalsAfter(wordings);
  groups.forEach((first, index) => {
    for (const later of rivals(index)) {
      const contradiction = contradictionBetween(first, wordings[index], groups[later], wordings[later]);
      if (contradiction) record(disagreements, contradiction);
    }
  });
  return [...disagreements.values()].map((disagreement) => {
    const involved = disagreement.sides.flatMap((side) => side.groups);
    const evidence = involved.flatMap((group) => group.evidence);
    const blocksOfEvidence = new Set(evidence.map((member) => member.block));
    // "(I know support asked for this; let's discuss.)" next to one side, or about the same thing
    const discussed = discussionPoints.filter(
      (point) =>
        blocksOfEvidence.has(point.block) ||
        involved.some((group) => point.lemmas.has(normalizeLemma(group.lead.action)) || sharedCount(point.lemmas, group.lead.terms.lemmas) >= 2),
    );
    return {
      conflict: {
        description: describe(disagreement, idOf),
        requirementIds: involved.map(idOf),
        sources: uniqueQuotes([...evidence.map((member) => member.quote), ...discussed.map((point) => point.quote)]),
      },
      sides: disagreement.sides.map((side) => side.groups),
    };
  });
}

function record(disagreements: Map<string, Disagreement>, contradiction: Contradiction): void {
  const entries: [Omit<Side, "groups">, Group][] =
    contradiction.kind === "polarity"
      ? [
          [{ position: "allows", says: { one: "asks for it", many: "ask for it" } }, contradiction.allowing],
          [{ position: "refuses", says: { one: "rules it out", many: "rule it out" } }, contradiction.refusing],
        ]
      : contradiction.figures.map((figure, index): [Omit<Side, "groups">, Group] => [
          { position: figure.text, says: { one: `says "${figure.text}"`, many: `say "${figure.text}"` } },
          index === 0 ? contradiction.first : contradiction.second,
        ]);
  const topic = contradiction.kind === "polarity" ? contradiction.topic : "Sources give different figures";
  const disagreement = disagreements.get(contradiction.key) ?? { topic, sides: [] };
  for (const [position, group] of entries) {
    if (disagreement.sides.some((side) => side.groups.includes(group))) continue;
    const side = disagreement.sides.find((existing) => existing.position === position.position);
    if (side) side.groups.push(group);
    else disagreement.sides.push({ ...position, groups: [group] });
  }
  disagreements.set(contradiction.key, disagreement);
}

/** A group's evidence by wording (see Evidence.wording), each with its positions in the group, in order. */
type Wording = { members: Evidence[]; positions: number[] };

function wordingsOf(group: Group): Wording[] {
  const byWording = new Map<string, Wording>();
  group.evidence.forEach((evidence, position) => {
    const wording = byWording.get(evidence.wording);
    if (wording) {
      wording.members.push(evidence);
      wording.positions.push(position);
    } else byWording.set(evidence.wording, { members: [evidence], positions: [position] });
  });
  return [...byWording.values()];
}

/**
 * For each group, the later groups it can contradict at all, in order: those with the same actor and
 * action of the opposite polarity, or a figure of the same unit. Comparing only these keeps the
 * search near-linear in the size of the notes instead of comparing every pair of requirements.
 */
function rivalsAfter(wordings: readonly Wording[][]): (index: number) => number[] {
  const polarityKey = (evidence: Evidence, negative: boolean) => `polarity:${evidence.actor}:${normalizeLemma(evidence.action)}:${negative}`;
  const unitKeys = (evidence: Evidence) => evidence.terms.figures.filter((figure) => figure.unit !== "").map((figure) => `unit:${figure.unit}`);
  const groupsByKey = new Map<string, number[]>();
  wordings.forEach((group, index) => {
    for (const { members } of group) {
      for (const key of [polarityKey(members[0], members[0].negative), ...unitKeys(members[0])]) {
        const holders = groupsByKey.get(key);
        if (!holders) groupsByKey.set(key, [index]);
        else if (holders.at(-1) !== index) holders.push(index);
      }
    }
  });
  return (index) => {
    const later = new Set<number>();
    for (const { members } of wordings[index]) {
      for (const key of [polarityKey(members[0], !members[0].negative), ...unitKeys(members[0])]) {
        for (const holder of groupsByKey.get(key) ?? []) if (holder > index) later.add(holder);
      }
    }
    return [...later].sort((a, b) => a - b);
  };
}

/**
 * The contradiction found by the first pair of evidence (in the groups' order) that contradicts.
 * Whether two pieces of evidence contradict depends on their wording, apart from being one passage,
 * so each pair of wordings is judged once.
 */
function contradictionBetween(first: Group, firstWordings: Wording[], second: Group, secondWordings: Wording[]): Contradiction | null {
  let earliest: [number, number] | null = null;
  for (const one of firstWordings) {
    for (const other of secondWordings) {
      const [a, b] = [one.members[0], other.members[0]];
      if (!opposes(a, b) && !(aboutTheSameThing(a, b) && differingFigures(a.terms.figures, b.terms.figures))) continue;
      const pair = firstPairApart(first, one, second, other);
      if (pair && (!earliest || pair[0] < earliest[0] || (pair[0] === earliest[0] && pair[1] < earliest[1]))) earliest = pair;
    }
  }
  return earliest ? contradictionOf(first, first.evidence[earliest[0]], second, second.evidence[earliest[1]]) : null;
}

/** The first pair of positions, one of each wording, whose evidence is not one passage. */
function firstPairApart(first: Group, one: Wording, second: Group, other: Wording): [number, number] | null {
  for (const a of one.positions) {
    for (const b of other.positions) {
      // Within one sentence, a second figure or "not" qualifies the first ("7 days, and 14 for members"); it does not contradict it.
      if (!samePassage(first.evidence[a], second.evidence[b])) return [a, b];
    }
  }
  return null;
}

/** The contradiction between two pieces of evidence that contradict, of the groups they belong to. */
function contradictionOf(first: Group, a: Evidence, second: Group, b: Evidence): Contradiction {
  if (opposes(a, b)) {
    const who = a.actor === "system" ? "the system" : pluralNoun(a.actor);
    const object = [...a.terms.objects].find((lemma) => b.terms.objects.has(lemma));
    const [allowing, refusing] = a.negative ? [second, first] : [first, second];
    return {
      kind: "polarity",
      key: `polarity:${a.actor}:${normalizeLemma(a.action)}`,
      topic: `${a.source.id === b.source.id ? `"${a.source.title}" contradicts itself` : "Sources disagree"} on whether ${who} may ${a.action}${object ? ` ${/^[aeiou]/.test(object) ? "an" : "a"} ${object}` : ""}`,
      allowing,
      refusing,
    };
  }
  const figures = differingFigures(a.terms.figures, b.terms.figures)!;
  return { kind: "figures", key: `figures:${figures[0].unit}:${normalizeLemma(a.action)}`, figures, first, second };
}

function samePassage(a: Evidence, b: Evidence): boolean {
  if (a.source.id !== b.source.id) return false;
  const [aEnd, bEnd] = [a.position + a.quote.quote.length, b.position + b.quote.quote.length];
  return a.sentence === b.sentence || (a.position < bEnd && b.position < aEnd);
}

/** Same actor, same action, opposite polarity, about the same object (or no object at all). */
function opposes(a: Evidence, b: Evidence): boolean {
  if (a.negative === b.negative || a.actor !== b.actor || normalizeLemma(a.action) !== normalizeLemma(b.action)) return false;
  // "must never be shown" and "must be flagged" share only "be": the rest of what they say must match too.
  if (normalizeLemma(a.action) === "be" && jaccard(a.terms.lemmas, b.terms.lemmas) < 0.5) return false;
  const [objectsA, objectsB] = [a.terms.objects, b.terms.objects];
  return objectsA.size === 0 || objectsB.size === 0 || sharedCount(objectsA, objectsB) > 0;
}

/**
 * Whether two statements with figures speak of the same thing. The figures' units do not count
 * as shared words: every pair of deadlines in hours shares "hour", whatever the deadlines are for.
 */
function aboutTheSameThing(a: Evidence, b: Evidence): boolean {
  const units = new Set([...a.terms.figures, ...b.terms.figures].map((figure) => normalizeLemma(figure.unit)));
  const [wordsA, wordsB] = [a.terms.lemmas, b.terms.lemmas].map((lemmas) => new Set([...lemmas].filter((lemma) => !units.has(normalizeLemma(lemma)))));
  return jaccard(wordsA, wordsB) >= 0.3 || (normalizeLemma(a.action) === normalizeLemma(b.action) && sharedCount(a.terms.objects, b.terms.objects) > 0);
}

// Corrections come soon after what they correct: in the same turn or the next few.
const CORRECTION_REACH = 3;
// A figure said alone in reply ("Forty-five minutes.") answers a figure said at most this many turns before it.
const COUNTER_FIGURE_REACH = 6;

const ACCEPTS_THE_FIGURE = /^(?:that|it)(?:['’]s| is) (?:small|fine|ok|okay|easy|nothing|manageable|no problem)\b/i;

/** "Is it?", "Really? Do they?": a reply that doubts what was just said before giving its own figure. */
const ECHO_QUESTION = /^(?:really[?,]?\s*)?(?:is|are|was|were|does|do|did|has|have|will|would)\s+(?:it|that|they|he|she|we|you|there)(?:\s+really)?\?$/i;

/**
 * "Tank readings must be kept for two years." ... "The auditor said five years last time." A
 * figure challenged soon after is a conflict too, quoting both: by a passage that is no requirement
 * itself (a correction, a reported figure), or by another speaker's reply that objects ("That's not
 * what we do, though. We take cars up to two hours before.") even when the reply is a requirement
 * of its own. The passage must be on the same thing: it shares a word with the requirement, or it
 * objects ("actually", "I thought", "said"). A disagreement the conversation settles is none: a
 * speaker correcting their own figure, or the first speaker taking up the other's, with nobody
 * leaving it open ("we'll check", "let's park it").
 */
function againstLaterPassages(groups: readonly Group[], idOf: (group: Group) => string, blocks: readonly Block[], reported: ReadonlySet<string>): FoundConflict[] {
  // One conflict per passage, with the nearest requirement before it that it can be about.
  const byPassage = new Map<Sentence, { evidence: Evidence; found: FoundConflict }>();
  const isQuoted = quotedPassages(groups.flatMap((group) => group.evidence));
  const groupOfSentence = new Map(groups.flatMap((group) => group.evidence.map((evidence): [Sentence, Group] => [evidence.sentence, group])));
  const blocksBySource = groupBy(blocks, (block) => block.source);
  const blocksOf = new Map<string, Block[]>();
  const passageTerms = new Map<Sentence, { text: string; terms: Terms; objects: boolean }>();
  // Each passage is read once, however many requirements before it it is compared with.
  const readPassage = (passage: Sentence) => {
    let read = passageTerms.get(passage);
    if (!read) {
      const text = sentenceText(passage);
      passageTerms.set(passage, (read = { text, terms: termsOf(text), objects: findPhrases(text, OBJECTION_MARKERS).length > 0 }));
    }
    return read;
  };
  for (const group of groups) {
    for (const evidence of group.evidence) {
      const figures = evidence.terms.figures;
      if (!figures.some((figure) => figure.unit !== "")) continue;
      if (!blocksOf.has(evidence.source.id)) blocksOf.set(evidence.source.id, blocksBySource.get(evidence.source) ?? []);
      const sourceBlocks = blocksOf.get(evidence.source.id)!;
      const after = evidence.position + evidence.quote.quote.length;
      // A source's blocks are in order, each at its index.
      const passages = sourceBlocks
        .slice(evidence.block.index, evidence.block.index + COUNTER_FIGURE_REACH + 1)
        .flatMap((block) => block.sentences)
        .filter((sentence) => sentence.start >= after);
      for (const passage of passages) {
        const replying = isReply(evidence.block, passage.block);
        // "Forty-five minutes.": another speaker's turn that opens with a figure alone puts it against the one said before, a few turns on too.
        const counterFigure = replying && passage === passage.block.sentences[0] && isBareFigure(passage, readPassage(passage).terms);
        if (passage.block.index - evidence.block.index > CORRECTION_REACH && !counterFigure) continue;
        // A requirement of its own counts only as another speaker's reply that objects; the requirements compare among themselves otherwise.
        const other = isQuoted(evidence.source, passage) ? groupOfSentence.get(passage) : undefined;
        if (isQuoted(evidence.source, passage) && (!other || other === group || !replying || reported.has(pairKey(group, other)))) continue;
        const read = readPassage(passage);
        const { text, terms } = read;
        // "That's not what we do, though. We take cars ...": a reply objects in its first words.
        const opening = sentenceText(passage.block.sentences[0]);
        const objects = read.objects || (replying && passage.block.sentences[0] !== passage && (findPhrases(opening, OBJECTION_MARKERS).length > 0 || ECHO_QUESTION.test(opening.trim())));
        if (other && !objects) continue;
        // "That's small for us, our biggest customer runs about three thousand": a reply that finds the figure easy takes it.
        if (replying && !objects && ACCEPTS_THE_FIGURE.test(opening.trim())) continue;
        // The unit itself ("days") does not make two passages about the same thing.
        const units = new Set(terms.figures.map((figure) => figure.unit));
        const shared = [...terms.lemmas].filter((lemma) => evidence.terms.lemmas.has(lemma) && !units.has(lemma));
        const related = objects || counterFigure || shared.length > 0;
        const withUnits = figures.filter((figure) => figure.unit !== "");
        const differing = related ? differingFigures(withUnits, terms.figures) : null;
        // "I thought we agreed four": an objection with a figure alone, besides figures of what the requirement does not
        // measure ("I thought cabinet put it up to sixty from April" against "fifty-five pounds").
        // "..., so flag it at thirty": a figure said twice is one.
        const unitless = [...new Map(terms.figures.filter((figure) => figure.unit === "").map((figure) => [figure.value, figure])).values()];
        const aside = terms.figures.every((figure) => figure.unit === "" || !withUnits.some((said) => said.unit === figure.unit));
        const bare = (objects || counterFigure) && unitless.length === 1 && aside ? unitless[0] : undefined;
        // it contests the requirement's only figure with a unit, else the one nearest it in size ("thirty" against
        // "forty-five minutes", not "priority one route"), else its first figure
        const against = bare && withUnits.length === 1 ? withUnits[0] : bare ? (nearestInSize(bare, withUnits) ?? figures[0]) : undefined;
        const pair: [Figure, Figure] | null = differing ?? (bare && against && against.value !== bare.value ? [against, bare] : null);
        if (!pair) continue;
        if (settled(evidence, passage, pair, sourceBlocks)) break;
        // The requirement's passage that says the figure is the side to quote; among those, the nearest.
        const nearer = byPassage.get(passage);
        const saysFigure = (said: Evidence) => said.quote.quote.toLowerCase().includes(pair[0].text.toLowerCase());
        const keepsNearer = nearer && (saysFigure(nearer.evidence) !== saysFigure(evidence) ? saysFigure(nearer.evidence) : nearer.evidence.position > evidence.position);
        if (keepsNearer) break;
        const description = other
          ? `"${evidence.source.title}" gives different figures: ${idOf(group)} says "${pair[0].text}" ("${group.statement}"); ${idOf(other)}, in reply, says "${pair[1].text}" ("${other.statement}").`
          : `"${evidence.source.title}" gives different figures: ${idOf(group)} says "${pair[0].text}" ("${group.statement}"); a later passage says "${pair[1].text}" ("${text}").`;
        const sources = [evidence.quote, { sourceId: evidence.source.id, quote: text }];
        const found: FoundConflict = other
          ? { conflict: { description, requirementIds: [idOf(group), idOf(other)], sources }, sides: [[group], [other]] }
          : { conflict: { description, requirementIds: [idOf(group)], sources }, sides: [[group]], counter: { from: pair[0], to: pair[1], quote: sources[1] } };
        byPassage.set(passage, { evidence, found });
        break;
      }
    }
  }
  return [...byPassage.values()].map(({ found }) => found);
}

/**
 * "Declared when they book, and only the loading master approves them." answered by "The ticket
 * desk has to be able to sign them off too": one speaker keeps an action to one role, and another,
 * soon after, gives it to another role as well ("too", "also"), about the same thing (the same
 * action, or "it" / "them" pointing back).
 */
function betweenRoles(groups: readonly Group[], idOf: (group: Group) => string, reported: ReadonlySet<string>): FoundConflict[] {
  const found: FoundConflict[] = [];
  const restricting = groups.flatMap((group) => group.evidence.flatMap((evidence) => {
    const role = restrictedRole(evidence);
    return role ? [{ group, evidence, role }] : [];
  }));
  for (const { group, evidence, role } of restricting) {
    for (const other of groups) {
      if (other === group || reported.has(pairKey(group, other))) continue;
      const widening = other.evidence.find((candidate) => {
        const distance = candidate.block.index - evidence.block.index;
        if (candidate.source !== evidence.source || distance < 1 || distance > CORRECTION_REACH || !isReply(evidence.block, candidate.block)) return false;
        if (candidate.actor === role || candidate.actor === "system" || findPhrases(candidate.quote.quote, EXTENSION_MARKERS).length === 0) return false;
        const pointsBack = candidate.sentence.tokens.some((token) => POINTING_BACK.has(token.lower));
        return pointsBack || normalizeLemma(candidate.action) === normalizeLemma(evidence.action) || sharedCount(candidate.terms.objects, evidence.terms.objects) > 0;
      });
      if (!widening) continue;
      const description = `"${evidence.source.title}" disagrees on who may do it: ${idOf(group)} keeps it to ${pluralNoun(role)} ("${evidence.quote.quote}"); ${idOf(other)}, in reply, gives it to ${pluralNoun(widening.actor)} as well ("${widening.quote.quote}").`;
      found.push({ conflict: { description, requirementIds: [idOf(group), idOf(other)], sources: [evidence.quote, widening.quote] }, sides: [[group], [other]] });
      break;
    }
  }
  return found;
}

/** The role an "only" keeps an action to: "only the loading master approves them", "coordinators only". */
function restrictedRole(evidence: Evidence): string | null {
  const tokens = evidence.sentence.tokens;
  const at = tokens.findIndex((token) => token.lower === "only");
  if (at < 0) return null;
  const after: Token[] = [];
  for (const token of tokens.slice(at + 1)) {
    if (token.tags.has("Determiner") && after.length === 0) continue;
    if (!["Noun", "Adjective"].some((tag) => token.tags.has(tag)) || token.tags.has("Pronoun")) break;
    after.push(token);
  }
  const before = tokens.slice(Math.max(0, at - 3), at).filter((token) => token.tags.has("Noun") && !token.tags.has("Pronoun"));
  const named = [after, before].find((phrase) => phrase.length > 0 && isPersonWord(phrase.at(-1)!));
  return named ? headNoun(named) : null;
}

/** "Forty-five minutes.", "Ten days, tops.", "It's fifteen days now.": a sentence that says a figure with its unit and nothing else. */
function isBareFigure(sentence: Sentence, terms: Terms): boolean {
  const { figures } = terms;
  // "It's twenty-four for the trust, Maria.": a figure put first, after "it's", is the quantity talked about, unit or not.
  const putFirst = BARE_FIGURE_FRAME.has(sentence.tokens[0]?.lower ?? "") && sentence.tokens[1]?.tags.has("Value") === true;
  if (figures.length !== 1 || (figures[0].unit === "" && !putFirst)) return false;
  const saysMore = (token: Token) =>
    !BARE_FIGURE_FRAME.has(token.lower) && !ANSWER_WORDS.limitWords.has(token.lower) && (token.tags.has("Verb") || (token.tags.has("Pronoun") && token.tags.has("Noun")));
  return !sentence.tokens.some(saysMore);
}
// "It's fifteen days now": the words around a figure that add nothing to it
const BARE_FIGURE_FRAME = new Set(["it", "it's", "that", "that's", "is", "was", "'s"]);

/** Of figures with a unit, the one whose size is closest (by ratio) to a figure said alone; undefined when sizes are not numbers. */
function nearestInSize(bare: Figure, figures: readonly Figure[]): Figure | undefined {
  const size = Number(bare.value);
  if (!(size > 0)) return undefined;
  const distance = (figure: Figure) => Math.abs(Math.log(Number(figure.value) / size));
  const sized = figures.filter((figure) => Number(figure.value) > 0);
  return sized.length === 0 ? undefined : sized.reduce((best, figure) => (distance(figure) < distance(best) ? figure : best));
}

/** A later turn by someone else: another speaker, or the reply to a quoted e-mail. */
function isReply(first: Block, later: Block): boolean {
  return first !== later && first.voice !== later.voice;
}

/**
 * Whether the conversation settles a disagreement between `first` and the later passage: nobody
 * leaves it open in the turns after it, and either the speaker corrects their own figure, or the
 * first speaker takes up the other's figure, or the objector goes back to the first figure in the
 * same turn ("Fifteen. ... Actually, no, make it ten.").
 */
function settled(first: Evidence, passage: Sentence, [said, challenge]: [Figure, Figure], blocks: readonly Block[]): boolean {
  const from = passage.block.index;
  const after = blocks.slice(from, from + CORRECTION_REACH + 1);
  const leftOpen = after.some((block) => findPhrases(block.source.text.slice(block.start, block.end), OPEN_MARKERS).length > 0);
  if (leftOpen) return false;
  const speaker = first.block.voice;
  if (speaker !== null && passage.block.voice === speaker) return true;
  const valuesIn = (text: string) => termsOf(text).figures.map((figure) => figure.value);
  const rest = passage.block.sentences.filter((sentence) => sentence.start > passage.start).map(sentenceText).join(" ");
  if (valuesIn(rest).includes(said.value)) return true;
  // The first speaker moved to the other figure, before this passage repeated it or after.
  const since = blocks.slice(first.block.index + 1, from + CORRECTION_REACH + 1).filter((block) => block !== passage.block);
  return speaker !== null && since.some((block) => block.voice === speaker && valuesIn(block.source.text.slice(block.start, block.end)).includes(challenge.value));
}

/**
 * Whether a sentence overlaps a passage some requirement quotes from the same source: per source the
 * quoted spans sorted by start, with the furthest end reached so far, so each question is a binary search.
 */
function quotedPassages(evidence: readonly Evidence[]): (source: Source, sentence: Sentence) => boolean {
  const spansBySource = new Map<Source, { starts: number[]; furthestEnds: number[] }>();
  for (const [source, quoted] of groupBy(evidence, (member) => member.source)) {
    const spans = quoted.map((member) => [member.position, member.position + member.quote.quote.length]).sort((a, b) => a[0] - b[0]);
    let furthest = -Infinity;
    spansBySource.set(source, { starts: spans.map(([start]) => start), furthestEnds: spans.map(([, end]) => (furthest = Math.max(furthest, end))) });
  }
  return (source, sentence) => {
    const spans = spansBySource.get(source);
    if (!spans) return false;
    // the spans starting before the sentence ends: [0, low)
    let [low, high] = [0, spans.starts.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (spans.starts[middle] < sentence.end) low = middle + 1;
      else high = middle;
    }
    return low > 0 && spans.furthestEnds[low - 1] > sentence.start;
  };
}

/** 'Sources disagree on whether riders may end a ride: "Interview" asks for it (R5: "..."); "Email" rules it out (R14: "...").' */
function describe({ topic, sides }: Disagreement, idOf: (group: Group) => string): string {
  const titlesOf = (groups: Group[]) => [...new Set(groups.flatMap((group) => group.evidence.map((evidence) => `"${evidence.source.title}"`)))];
  // One source on every side contradicts itself: it is named once, in the topic.
  const allTitles = titlesOf(sides.flatMap((side) => side.groups));
  const oneSource = allTitles.length === 1;
  const parts = sides.map(({ says, groups }, index) => {
    const titles = titlesOf(groups);
    const who = oneSource ? (index === 0 ? "it" : "elsewhere it") : titles.length === 1 ? titles[0] : `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}`;
    const cited = groups.map((group, index) => (index === 0 ? `${idOf(group)}: "${group.statement}"` : idOf(group))).join(", ");
    return `${who} ${oneSource || titles.length === 1 ? says.one : says.many} (${cited})`;
  });
  const heading = oneSource && topic === "Sources give different figures" ? `${allTitles[0]} gives different figures` : topic;
  return `${heading}: ${parts.join("; ")}.`;
}


/** Each passage once: a quote inside a longer quote from the same source adds nothing. */
export function uniqueQuotes(quotes: readonly SourceQuote[]): SourceQuote[] {
  // Only quotes of the same source can hold one another.
  const indexed = quotes.map((quote, index) => ({ quote, index }));
  const ofSource = groupBy(indexed, ({ quote }) => quote.sourceId);
  const holds = (outer: { quote: SourceQuote; index: number }, inner: { quote: SourceQuote; index: number }) =>
    outer.index !== inner.index && outer.quote.quote.includes(inner.quote.quote) && (outer.quote.quote !== inner.quote.quote || outer.index < inner.index);
  return indexed.filter((inner) => !ofSource.get(inner.quote.sourceId)!.some((outer) => holds(outer, inner))).map(({ quote }) => quote);
}

/** Map.groupBy, which Node 20 lacks: items by key, each list in the items' order. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
