import type { RequirementCategory } from "@/lib/requirements/schema";
import { classify } from "./classify";
import type { Candidate } from "./extract";
import { differingFigures, jaccard, normalizeLemma, sharedCount, termsOf, type Terms } from "./terms";

/**
 * Merges what the sources say more than once into one requirement citing every source:
 * near-duplicates (same action, overlapping words, same polarity, no differing figures) become
 * one group, except two items of one list of stated requirements, and a statement joins the one before it when it qualifies it ("After that, ...")
 * or says more of the same kind in the same list item ("available 24/7. Downtime ... is not acceptable").
 */
export type Evidence = Candidate & {
  terms: Terms;
  category: RequirementCategory;
  /** everything the comparisons read of its content, as one key: evidence with equal keys compares alike (a statement repeated word for word) */
  wording: string;
};

export type Group = {
  /** the strongest evidence, whose wording the requirement takes */
  lead: Evidence;
  evidence: Evidence[];
  /** "after that, patients must call ...": statements that qualify the lead's */
  qualifications: Evidence[];
  statement: string;
};

const BASIS_RANK: Record<Candidate["basis"], number> = { stated: 0, wish: 1, constraint: 2, imperative: 3, implied: 4, complaint: 5 };
const STRENGTH_RANK: Record<Candidate["strength"], number> = { firm: 0, should: 1, soft: 2 };

export function groupCandidates(candidates: readonly Candidate[]): Group[] {
  const groups: Group[] = [];
  const index = new GroupIndex();
  for (const candidate of candidates) {
    // A complaint's statement is a reduced reading of its quote; the quote's words help find what it corroborates.
    const context = candidate.basis === "complaint" ? candidate.quote.quote : "";
    const terms = termsOf(candidate.statement, context);
    const evidence: Evidence = { ...candidate, terms, category: classify(candidate.statement), wording: wordingOf(candidate, terms) };
    const previous = groups.at(-1);
    if (previous && qualifiesPrevious(evidence, previous)) {
      previous.qualifications.push(evidence);
      previous.evidence.push(evidence);
      index.add(previous, evidence);
      continue;
    }
    const same = index.firstGroupWithSame(evidence);
    if (!same) {
      const group: Group = { lead: evidence, evidence: [evidence], qualifications: [], statement: "" };
      groups.push(group);
      index.add(group, evidence);
      continue;
    }
    same.evidence.push(evidence);
    index.add(same, evidence);
    if (isStronger(evidence, same.lead)) same.lead = evidence;
  }
  for (const group of groups) {
    group.statement = [group.lead, ...group.qualifications]
      .map(({ statement }, index) => (index === 0 ? statement : statement.charAt(0).toLowerCase() + statement.slice(1)))
      .join("; ")
      .replace(/\.;/g, ";");
  }
  return groups;
}

/** The content key of `wording`: actor, action, polarity, lemmas, objects and figures, in the order the comparisons meet them. */
function wordingOf(candidate: Candidate, terms: Terms): string {
  const figures = terms.figures.map(({ value, unit, text }) => [value, unit, text]);
  return JSON.stringify([candidate.actor, candidate.action, candidate.negative, [...terms.lemmas], [...terms.matchLemmas], [...terms.objects], figures]);
}

/** Evidence with the lemma sets a comparison needs, worked out once. */
type Comparable = { evidence: Evidence; matchLemmas: Set<string>; lemmas: Set<string> };
/** The evidence of one wording in one group. */
type Wording = { first: Comparable; members: Evidence[] };

/**
 * The grouped evidence by action and polarity (the same requirement has both the same), and within
 * a group by wording, so finding a statement's group compares it with each different wording once
 * instead of with every earlier statement. Groups enter a bucket in the order they were created:
 * a group joins a bucket either when it is created or through a qualification of the newest group.
 */
class GroupIndex {
  private readonly buckets = new Map<string, Map<Group, Map<string, Wording>>>();

  add(group: Group, evidence: Evidence): void {
    const key = bucketKey(evidence);
    let groups = this.buckets.get(key);
    if (!groups) this.buckets.set(key, (groups = new Map()));
    let wordings = groups.get(group);
    if (!wordings) groups.set(group, (wordings = new Map()));
    const wording = wordings.get(evidence.wording);
    if (wording) wording.members.push(evidence);
    else wordings.set(evidence.wording, { first: comparableOf(evidence), members: [evidence] });
  }

  /** The earliest group holding evidence of the same requirement. */
  firstGroupWithSame(evidence: Evidence): Group | undefined {
    const groups = this.buckets.get(bucketKey(evidence));
    if (!groups) return undefined;
    const comparable = comparableOf(evidence);
    for (const [group, wordings] of groups) {
      for (const wording of wordings.values()) {
        if (!saysTheSame(wording.first, comparable)) continue;
        if (wording.members.some((member) => !inOneList(member, evidence))) return group;
      }
    }
    return undefined;
  }
}

const bucketKey = (evidence: Evidence) => `${evidence.negative}:${normalizeLemma(evidence.action)}`;

function qualifiesPrevious(evidence: Evidence, previous: Group): boolean {
  const last = previous.evidence.at(-1)!;
  if (last.block !== evidence.block) return false;
  return evidence.continuesPrevious || (evidence.block.listItem && evidence.category === last.category);
}

// Whoever writes a list of requirements, or of things asked for, writes each one once: two items of one list are two requirements ("as PDF", "as CSV").
function inOneList(a: Evidence, b: Evidence): boolean {
  if (a.source !== b.source || a.block === b.block) return false;
  return (a.block.authored && b.block.authored) || (a.block.listIntro !== null && a.block.listIntro === b.block.listIntro);
}

/** Whether two statements of the same action and polarity say the same requirement, judged on their content alone. */
function saysTheSame(a: Comparable, b: Comparable): boolean {
  if (differingFigures(a.evidence.terms.figures, b.evidence.terms.figures)) return false;
  // "Pupils must be able to book only with their own instructor" limits what "Pupils must be able to book their own lessons" allows.
  if (restricts(a.evidence) !== restricts(b.evidence)) return false;
  const similarity = jaccard(a.matchLemmas, b.matchLemmas);
  if (similarity >= 0.5 || (similarity >= 0.3 && sharedCount(a.matchLemmas, b.matchLemmas) >= 2)) return true;
  // "It is slow." and "It should be fast and user-friendly.": one says less, nothing different.
  const [smaller, larger] = a.lemmas.size <= b.lemmas.size ? [a.lemmas, b.lemmas] : [b.lemmas, a.lemmas];
  return a.evidence.actor === b.evidence.actor && smaller.size > 0 && sharedCount(smaller, larger) === smaller.size;
}

// "must not see the medical note, only that the person is sick": after a "not", "only" contrasts rather than limits.
const restricts = (evidence: Evidence) => !evidence.negative && /\bonly\b/i.test(evidence.statement);

function comparableOf(evidence: Evidence): Comparable {
  const withAction = (lemmas: ReadonlySet<string>) => new Set([...lemmas, normalizeLemma(evidence.action)].filter((lemma) => lemma !== "be"));
  return { evidence, matchLemmas: withAction(evidence.terms.matchLemmas), lemmas: withAction(evidence.terms.lemmas) };
}

function isStronger(a: Evidence, b: Evidence): boolean {
  const rank = (evidence: Evidence) => [BASIS_RANK[evidence.basis], STRENGTH_RANK[evidence.strength], evidence.hedges.length];
  const [rankA, rankB] = [rank(a), rank(b)];
  for (let index = 0; index < rankA.length; index++) {
    if (rankA[index] !== rankB[index]) return rankA[index] < rankB[index];
  }
  return false;
}
