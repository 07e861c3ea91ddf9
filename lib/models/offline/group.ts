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
export type Evidence = Candidate & { terms: Terms; category: RequirementCategory };

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
  for (const candidate of candidates) {
    // A complaint's statement is a reduced reading of its quote; the quote's words help find what it corroborates.
    const context = candidate.basis === "complaint" ? candidate.quote.quote : "";
    const evidence: Evidence = { ...candidate, terms: termsOf(candidate.statement, context), category: classify(candidate.statement) };
    const previous = groups.at(-1);
    if (previous && qualifiesPrevious(evidence, previous)) {
      previous.qualifications.push(evidence);
      previous.evidence.push(evidence);
      continue;
    }
    const same = groups.find((group) => group.evidence.some((member) => isSameRequirement(member, evidence)));
    if (!same) {
      groups.push({ lead: evidence, evidence: [evidence], qualifications: [], statement: "" });
      continue;
    }
    same.evidence.push(evidence);
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

function qualifiesPrevious(evidence: Evidence, previous: Group): boolean {
  const last = previous.evidence.at(-1)!;
  if (last.block !== evidence.block) return false;
  return evidence.continuesPrevious || (evidence.block.listItem && evidence.category === last.category);
}

function isSameRequirement(a: Evidence, b: Evidence): boolean {
  // Whoever writes a list of requirements writes each one once: two items of one list are two requirements ("as PDF", "as CSV").
  if (a.source === b.source && a.block !== b.block && a.block.authored && b.block.authored) return false;
  const sameAction = normalizeLemma(a.action) === normalizeLemma(b.action);
  if (!sameAction || a.negative !== b.negative || differingFigures(a.terms.figures, b.terms.figures)) return false;
  const [matchA, matchB] = [withAction(a, a.terms.matchLemmas), withAction(b, b.terms.matchLemmas)];
  const similarity = jaccard(matchA, matchB);
  if (similarity >= 0.5 || (similarity >= 0.3 && sharedCount(matchA, matchB) >= 2)) return true;
  // "It is slow." and "It should be fast and user-friendly.": one says less, nothing different.
  const [lemmasA, lemmasB] = [withAction(a, a.terms.lemmas), withAction(b, b.terms.lemmas)];
  const [smaller, larger] = lemmasA.size <= lemmasB.size ? [lemmasA, lemmasB] : [lemmasB, lemmasA];
  return a.actor === b.actor && smaller.size > 0 && sharedCount(smaller, larger) === smaller.size;
}

function withAction(evidence: Evidence, lemmas: ReadonlySet<string>): Set<string> {
  return new Set([...lemmas, normalizeLemma(evidence.action)].filter((lemma) => lemma !== "be"));
}

function isStronger(a: Evidence, b: Evidence): boolean {
  const rank = (evidence: Evidence) => [BASIS_RANK[evidence.basis], STRENGTH_RANK[evidence.strength], evidence.hedges.length];
  const [rankA, rankB] = [rank(a), rank(b)];
  for (let index = 0; index < rankA.length; index++) {
    if (rankA[index] !== rankB[index]) return rankA[index] < rankB[index];
  }
  return false;
}
