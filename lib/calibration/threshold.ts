import { clopperPearsonUpper, decisionsNeeded as neededFor, MAX_DECISIONS_NEEDED, minimumSupport } from "./bounds";
import type { ProbabilityOutcome } from "./reliability";

export type ThresholdResult = {
  /** Drafts at or above this calibrated probability may be auto-approved; null: none may. */
  threshold: number | null;
  /** Labelled drafts at or above the threshold (all labelled drafts when it is null). */
  support: number;
  /** Of those, how many people edited or rejected. */
  errors: number;
  /** Clopper-Pearson upper bound of their error rate at the confidence level. */
  upperBound: number;
  /** 0 with a threshold; otherwise the fewest error-free decisions at the top that would give one (null: too many). */
  decisionsNeeded: number | null;
};

type Candidate = { p: number; support: number; errors: number };

/** Each distinct probability, highest first, with the labelled drafts at or above it. */
function candidates(labelled: readonly ProbabilityOutcome[]): Candidate[] {
  const sorted = [...labelled].sort((a, b) => b.p - a.p);
  const result: Candidate[] = [];
  let errors = 0;
  sorted.forEach((draft, index) => {
    errors += draft.correct ? 0 : 1;
    const last = index === sorted.length - 1 || sorted[index + 1].p !== draft.p;
    if (last) result.push({ p: draft.p, support: index + 1, errors });
  });
  return result;
}

/**
 * The lowest calibrated probability at which auto-approval is supported by the labelled drafts.
 *
 * Candidates are tested from the highest probability down, in a fixed order, stopping at the
 * first whose top segment (drafts at or above it) has an error bound above the target; the
 * threshold is the last one that passed. Testing in a fixed order and stopping at the first
 * failure keeps the bound's confidence level honest although many thresholds are looked at
 * (fixed-sequence testing), and makes every testable segment above the threshold meet the target,
 * so a pocket of errors among the most confident drafts cannot hide behind many easy ones below
 * it. Candidates whose segment is too small for any bound to reach the target (fewer than
 * minimumSupport drafts, even error-free) cannot be tested and are passed over.
 */
export function autoApprovalThreshold(labelled: readonly ProbabilityOutcome[], targetErrorRate: number, confidenceLevel: number): ThresholdResult {
  for (const { p } of labelled) if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilities must be in [0, 1], got ${p}`);
  const all = candidates(labelled);
  const minimum = minimumSupport(targetErrorRate, confidenceLevel) ?? Number.POSITIVE_INFINITY;
  const bound = (c: Candidate) => clopperPearsonUpper(c.errors, c.support, confidenceLevel);
  let chosen: Candidate | null = null;
  for (const candidate of all) {
    if (candidate.support < minimum) continue;
    if (bound(candidate) > targetErrorRate) break;
    chosen = candidate;
  }
  if (chosen) return { threshold: chosen.p, support: chosen.support, errors: chosen.errors, upperBound: bound(chosen), decisionsNeeded: 0 };
  const everything = all.at(-1) ?? { p: 0, support: 0, errors: 0 };
  return {
    threshold: null,
    support: everything.support,
    errors: everything.errors,
    upperBound: bound(everything),
    decisionsNeeded: decisionsToQualify(all, minimum, targetErrorRate, confidenceLevel),
  };
}

/**
 * The fewest error-free labels that, added among the most confident drafts (so in every
 * segment), would make the fixed-sequence test above pass its first testable candidate. With k
 * added, candidate i is the first testable one while support_i + k >= minimum > support_(i-1) + k,
 * and it passes once k reaches what its own errors need.
 */
function decisionsToQualify(all: readonly Candidate[], minimum: number, target: number, level: number): number | null {
  if (!Number.isFinite(minimum)) return null;
  if (all.length === 0) return Math.max(1, minimum);
  let best: number | null = null;
  all.forEach((candidate, index) => {
    const needed = neededFor(candidate.errors, candidate.support, target, level);
    if (needed === null) return;
    const firstTestable = Math.max(0, minimum - candidate.support);
    const stillFirst = index === 0 ? Number.POSITIVE_INFINITY : minimum - all[index - 1].support - 1;
    const k = Math.max(firstTestable, needed);
    if (k <= stillFirst && (best === null || k < best)) best = k;
  });
  return best !== null && best <= MAX_DECISIONS_NEEDED ? best : null;
}

/** Whether a draft with this calibrated probability may be auto-approved under the threshold. */
export function mayAutoApprove(p: number, result: Pick<ThresholdResult, "threshold">): boolean {
  return result.threshold !== null && p >= result.threshold;
}
