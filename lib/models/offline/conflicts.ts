import type { Conflict, SourceQuote } from "@/lib/requirements/schema";
import { findPhrases } from "./cues";
import type { Evidence, Group } from "./group";
import { OBJECTION_MARKERS } from "./lexicon";
import { pluralNoun } from "./nlp";
import type { DiscussionPoint } from "./questions";
import { segmentSource, sentenceText, type Block, type Sentence } from "./segment";
import { differingFigures, jaccard, normalizeLemma, sharedCount, termsOf, type Figure } from "./terms";

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
};

/** One side of a disagreement: the requirements that say the same thing, e.g. "7 days". */
type Side = { position: string; says: { one: string; many: string }; groups: Group[] };
type Disagreement = { topic: string; sides: Side[] };

type Contradiction =
  | { kind: "polarity"; key: string; topic: string; allowing: Group; refusing: Group }
  | { kind: "figures"; key: string; figures: [Figure, Figure]; first: Group; second: Group };

export function findConflicts(groups: readonly Group[], idOf: (group: Group) => string, discussionPoints: readonly DiscussionPoint[]): FoundConflict[] {
  return [...betweenRequirements(groups, idOf, discussionPoints), ...againstLaterPassages(groups, idOf)];
}

function betweenRequirements(groups: readonly Group[], idOf: (group: Group) => string, discussionPoints: readonly DiscussionPoint[]): FoundConflict[] {
  const disagreements = new Map<string, Disagreement>();
  groups.forEach((first, index) => {
    for (const second of groups.slice(index + 1)) {
      const contradiction = contradictionBetween(first, second);
      if (contradiction) record(disagreements, contradiction);
    }
  });
  return [...disagreements.values()].map((disagreement) => {
    const involved = disagreement.sides.flatMap((side) => side.groups);
    const evidence = involved.flatMap((group) => group.evidence);
    // "(I know support asked for this; let's discuss.)" next to one side, or about the same thing
    const discussed = discussionPoints.filter(
      (point) =>
        evidence.some((member) => member.block === point.block) ||
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

function contradictionBetween(first: Group, second: Group): Contradiction | null {
  for (const a of first.evidence) {
    for (const b of second.evidence) {
      // Within one sentence, a second figure or "not" qualifies the first ("7 days, and 14 for members"); it does not contradict it.
      if (samePassage(a, b)) continue;
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
      const figures = aboutTheSameThing(a, b) ? differingFigures(a.terms.figures, b.terms.figures) : null;
      if (figures) return { kind: "figures", key: `figures:${figures[0].unit}:${normalizeLemma(a.action)}`, figures, first, second };
    }
  }
  return null;
}

function samePassage(a: Evidence, b: Evidence): boolean {
  if (a.source.id !== b.source.id) return false;
  const [aEnd, bEnd] = [a.position + a.quote.quote.length, b.position + b.quote.quote.length];
  return a.sentence === b.sentence || (a.position < bEnd && b.position < aEnd);
}

/** Same actor, same action, opposite polarity, about the same object (or no object at all). */
function opposes(a: Evidence, b: Evidence): boolean {
  if (a.negative === b.negative || a.actor !== b.actor || normalizeLemma(a.action) !== normalizeLemma(b.action)) return false;
  const [objectsA, objectsB] = [a.terms.objects, b.terms.objects];
  return objectsA.size === 0 || objectsB.size === 0 || sharedCount(objectsA, objectsB) > 0;
}

function aboutTheSameThing(a: Evidence, b: Evidence): boolean {
  return jaccard(a.terms.lemmas, b.terms.lemmas) >= 0.3 || (normalizeLemma(a.action) === normalizeLemma(b.action) && sharedCount(a.terms.objects, b.terms.objects) > 0);
}

// Corrections come soon after what they correct: in the same turn or the next few.
const CORRECTION_REACH = 3;

/**
 * "Tank readings must be kept for two years." ... "The auditor said five years last time." A
 * figure challenged in a passage that is no requirement itself (a correction, a reported figure)
 * is a conflict too, quoting both. The passage must be on the same thing: it shares a word with
 * the requirement, or it objects ("actually", "I thought", "said").
 */
function againstLaterPassages(groups: readonly Group[], idOf: (group: Group) => string): FoundConflict[] {
  // One conflict per passage, with the nearest requirement before it that it can be about.
  const byPassage = new Map<Sentence, { evidence: Evidence; found: FoundConflict }>();
  const quoted = groups.flatMap((group) => group.evidence);
  const blocksOf = new Map<string, Block[]>();
  for (const group of groups) {
    for (const evidence of group.evidence) {
      const figures = evidence.terms.figures.filter((figure) => figure.unit !== "");
      if (figures.length === 0) continue;
      if (!blocksOf.has(evidence.source.id)) blocksOf.set(evidence.source.id, segmentSource(evidence.source));
      const after = evidence.position + evidence.quote.quote.length;
      const passages = blocksOf
        .get(evidence.source.id)!
        .filter((block) => block.index >= evidence.block.index && block.index <= evidence.block.index + CORRECTION_REACH)
        .flatMap((block) => block.sentences)
        .filter((sentence) => sentence.start >= after && !quoted.some((other) => other.source === evidence.source && overlaps(other, sentence)));
      for (const passage of passages) {
        const text = sentenceText(passage);
        const terms = termsOf(text);
        const objects = findPhrases(text, OBJECTION_MARKERS).length > 0;
        // The unit itself ("days") does not make two passages about the same thing.
        const units = new Set(terms.figures.map((figure) => figure.unit));
        const shared = [...terms.lemmas].filter((lemma) => evidence.terms.lemmas.has(lemma) && !units.has(lemma));
        const related = objects || shared.length > 0;
        const differing = related ? differingFigures(figures, terms.figures) : null;
        const bare = objects && figures.length === 1 ? terms.figures.find((figure) => figure.unit === "" && figure.value !== figures[0].value) : undefined;
        const pair: [Figure, Figure] | null = differing ?? (bare ? [figures[0], bare] : null);
        if (!pair) continue;
        const nearer = byPassage.get(passage);
        if (nearer && nearer.evidence.position > evidence.position) break;
        const description = `"${evidence.source.title}" gives different figures: ${idOf(group)} says "${pair[0].text}" ("${group.statement}"); a later passage says "${pair[1].text}" ("${text}").`;
        const sources = [evidence.quote, { sourceId: evidence.source.id, quote: text }];
        byPassage.set(passage, { evidence, found: { conflict: { description, requirementIds: [idOf(group)], sources }, sides: [[group]] } });
        break;
      }
    }
  }
  return [...byPassage.values()].map(({ found }) => found);
}

function overlaps(evidence: Evidence, sentence: Sentence): boolean {
  return evidence.position < sentence.end && sentence.start < evidence.position + evidence.quote.quote.length;
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
  const within = (inner: SourceQuote, outer: SourceQuote) => inner.sourceId === outer.sourceId && outer.quote.includes(inner.quote);
  return quotes.filter(
    (quote, index) => !quotes.some((other, otherIndex) => otherIndex !== index && within(quote, other) && (other.quote !== quote.quote || otherIndex < index)),
  );
}
