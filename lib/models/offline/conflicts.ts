import type { Conflict, SourceQuote } from "@/lib/requirements/schema";
import type { Evidence, Group } from "./group";
import { pluralNoun } from "./nlp";
import type { DiscussionPoint } from "./questions";
import { differingFigures, jaccard, normalizeLemma, sharedCount, type Figure } from "./terms";

/**
 * Contradictions between sources: the same actor and action with opposite polarity ("patients
 * must be able to cancel" against "I do NOT want patients to cancel"), or the same thing with
 * different figures ("up to 7 days" against "14 days"). Every requirement taking part in the
 * same disagreement is gathered into one conflict, however many there are.
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
  if (sourcesOf(first).every((source) => sourcesOf(second).includes(source))) return null;
  for (const a of first.evidence) {
    for (const b of second.evidence) {
      if (a.source.id === b.source.id) continue;
      if (opposes(a, b)) {
        const who = a.actor === "system" ? "the system" : pluralNoun(a.actor);
        const object = [...a.terms.objects].find((lemma) => b.terms.objects.has(lemma));
        const [allowing, refusing] = a.negative ? [second, first] : [first, second];
        return {
          kind: "polarity",
          key: `polarity:${a.actor}:${normalizeLemma(a.action)}`,
          topic: `Sources disagree on whether ${who} may ${a.action}${object ? ` a ${object}` : ""}`,
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

/** Same actor, same action, opposite polarity, about the same object (or no object at all). */
function opposes(a: Evidence, b: Evidence): boolean {
  if (a.negative === b.negative || a.actor !== b.actor || normalizeLemma(a.action) !== normalizeLemma(b.action)) return false;
  const [objectsA, objectsB] = [a.terms.objects, b.terms.objects];
  return objectsA.size === 0 || objectsB.size === 0 || sharedCount(objectsA, objectsB) > 0;
}

function aboutTheSameThing(a: Evidence, b: Evidence): boolean {
  return jaccard(a.terms.lemmas, b.terms.lemmas) >= 0.3 || (normalizeLemma(a.action) === normalizeLemma(b.action) && sharedCount(a.terms.objects, b.terms.objects) > 0);
}

/** 'Sources disagree on whether riders may end a ride: "Interview" asks for it (R5: "..."); "Email" rules it out (R14: "...").' */
function describe({ topic, sides }: Disagreement, idOf: (group: Group) => string): string {
  const parts = sides.map(({ says, groups }) => {
    const titles = [...new Set(groups.flatMap((group) => group.evidence.map((evidence) => `"${evidence.source.title}"`)))];
    const who = titles.length === 1 ? titles[0] : `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}`;
    const cited = groups.map((group, index) => (index === 0 ? `${idOf(group)}: "${group.statement}"` : idOf(group))).join(", ");
    return `${who} ${titles.length === 1 ? says.one : says.many} (${cited})`;
  });
  return `${topic}: ${parts.join("; ")}.`;
}

const sourcesOf = (group: Group) => [...new Set(group.evidence.map((evidence) => evidence.source.id))];

/** Each passage once: a quote inside a longer quote from the same source adds nothing. */
export function uniqueQuotes(quotes: readonly SourceQuote[]): SourceQuote[] {
  const within = (inner: SourceQuote, outer: SourceQuote) => inner.sourceId === outer.sourceId && outer.quote.includes(inner.quote);
  return quotes.filter(
    (quote, index) => !quotes.some((other, otherIndex) => otherIndex !== index && within(quote, other) && (other.quote !== quote.quote || otherIndex < index)),
  );
}
