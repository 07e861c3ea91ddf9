import { clopperPearsonUpper, decisionsNeeded as neededFor, MAX_DECISIONS_NEEDED, minimumSupport } from "./bounds";
import type { ProbabilityOutcome } from "./reliability";

export type ThresholdResult = {
  /** Drafts at or above this calibrated probability may be auto-approved; null: none may. */
  threshold: number | null;
  /** Labelled drafts at or above the threshold (all labelled drafts when it is null). */
  support: number;
  /** Of those, how many people edited or rejected. */
  errors: number;
  /** Clopper-Pearson upper bound of their error rate, at the level the segment was tested at (at least the confidence level asked for). */
  upperBound: number;
  /** 0 with a threshold; otherwise the fewest error-free decisions at the top that would give one (null: too many). */
  decisionsNeeded: number | null;
  /** The category whose own labels set this result (withinCategory); absent when the step's labels did. */
  category?: string;
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
 * The share of the bound's error budget (1 - confidence level) spent on the first segment from
 * the top that is large enough to test; the rest is shared by the checkpoints below it (unspent
 * while there are too few labels for any). Most of it: a young deployment has labels for that
 * first test only, and it should open almost as soon as a plain top-down test would.
 */
const FIRST_TEST_SHARE = 0.8;
/** Checkpoints: segments of twice the first test's size, then each this many times the last. */
const CHECKPOINT_GROWTH = 1.5;

/**
 * The lowest calibrated probability at which auto-approval is supported by the labelled drafts,
 * with the confidence level holding for the error rate of everything auto-approved.
 *
 * Candidates (every distinct probability) are tested from the highest down, the segment at or
 * above each against the target, by a fallback procedure (Wiens, 2003): the first segment large
 * enough to pass at all gets most of the error budget, a few checkpoints further down (segments
 * growing geometrically, fixed by the number of labels alone) share the rest, and a segment that
 * passes hands its budget on to the next candidate. A failure spends its budget: testing goes on
 * from the next checkpoint with that checkpoint's share alone. The budgets sum to 1 - confidence,
 * so the chance that any passing segment is in truth above the target stays within it, however
 * many candidates are looked at. The threshold is the lowest candidate that passed.
 *
 * Why not stop at the first failure (a plain fixed-sequence test): then one wrong draft among the
 * ~100 most confident shuts auto-approval for good, whatever thousands of labels below say; a
 * drafter that is right 99% of the time at the top opened about 40% of the time, with 300
 * labels or 3,000; now 36% and 94% (npm run eval:bound measures both). A pocket of errors among the most
 * confident still cannot hide behind many easy drafts below: no threshold goes below a testable
 * segment whose observed error rate is above the target.
 */
export function autoApprovalThreshold(
  labelled: readonly ProbabilityOutcome[],
  targetErrorRate: number,
  confidenceLevel: number,
  /** 1 gives the whole budget to the first test: a plain fixed-sequence test (for comparison in scripts/eval-bound.ts). */
  firstTestShare = FIRST_TEST_SHARE,
): ThresholdResult {
  for (const { p } of labelled) if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilities must be in [0, 1], got ${p}`);
  const all = candidates(labelled);
  const budget = 1 - confidenceLevel;
  const firstLevel = 1 - budget * firstTestShare;
  const minimum = minimumSupport(targetErrorRate, firstLevel) ?? Number.POSITIVE_INFINITY;
  const checkpoints = checkpointSupports(minimum, labelled.length);
  const checkpointBudget = checkpoints.length > 0 ? (budget * (1 - firstTestShare)) / checkpoints.length : 0;

  let chosen: { candidate: Candidate; upperBound: number } | null = null;
  let carried = 0;
  let firstTested = false;
  let nextCheckpoint = 0;
  for (const candidate of all) {
    if (candidate.support < minimum) continue;
    // A testable segment that is wrong more often than the target: nothing below it may be auto-approved.
    if (candidate.errors > targetErrorRate * candidate.support) break;
    let own = 0;
    if (!firstTested) {
      own += budget * firstTestShare;
      firstTested = true;
    }
    for (; nextCheckpoint < checkpoints.length && candidate.support >= checkpoints[nextCheckpoint]; nextCheckpoint++) own += checkpointBudget;
    const alpha = own + carried;
    if (alpha === 0) continue;
    const upperBound = clopperPearsonUpper(candidate.errors, candidate.support, 1 - alpha);
    if (upperBound <= targetErrorRate) {
      chosen = { candidate, upperBound };
      carried = alpha;
    } else {
      carried = 0;
    }
  }
  if (chosen) return { threshold: chosen.candidate.p, support: chosen.candidate.support, errors: chosen.candidate.errors, upperBound: chosen.upperBound, decisionsNeeded: 0 };
  const everything = all.at(-1) ?? { p: 0, support: 0, errors: 0 };
  return {
    threshold: null,
    support: everything.support,
    errors: everything.errors,
    upperBound: clopperPearsonUpper(everything.errors, everything.support, confidenceLevel),
    decisionsNeeded: decisionsToQualify(all, minimum, targetErrorRate, firstLevel),
  };
}

/** The checkpoint segment sizes for this many labels: twice the first test's, then growing by CHECKPOINT_GROWTH. */
function checkpointSupports(minimum: number, labels: number): number[] {
  const supports: number[] = [];
  if (!Number.isFinite(minimum)) return supports;
  for (let support = 2 * minimum; support <= labels; support = Math.ceil(support * CHECKPOINT_GROWTH)) supports.push(support);
  return supports;
}

/**
 * The fewest error-free labels that, added among the most confident drafts (so in every
 * segment), would make the first test above pass (the checkpoints may open auto-approval sooner
 * as labels accumulate below). With k added, candidate i is the first testable one while
 * support_i + k >= minimum > support_(i-1) + k, and it passes once k reaches what its own errors need.
 */
function decisionsToQualify(all: readonly Candidate[], minimum: number, target: number, level: number): number | null {
  if (!Number.isFinite(minimum)) return null;
  if (all.length === 0) return Math.max(1, minimum);
  let best: number | null = null;
  for (const [index, candidate] of all.entries()) {
    const stillFirst = index === 0 ? Number.POSITIVE_INFINITY : minimum - all[index - 1].support - 1;
    // Past the first testable candidate no number of added labels makes a later one first.
    if (stillFirst < 0) break;
    const needed = neededFor(candidate.errors, candidate.support, target, level);
    if (needed === null) continue;
    const k = Math.max(minimum - candidate.support, needed);
    if (k <= stillFirst && (best === null || k < best)) best = k;
  }
  return best !== null && best <= MAX_DECISIONS_NEEDED ? best : null;
}

/** The fewest labels a segment needs before the first test can pass at all (106 at 3% and 95%). */
export function testableSupport(targetErrorRate: number, confidenceLevel: number): number {
  return minimumSupport(targetErrorRate, 1 - (1 - confidenceLevel) * FIRST_TEST_SHARE) ?? Number.POSITIVE_INFINITY;
}

/**
 * The threshold for drafts of one category whose own labels are enough to be tested alone: the
 * step's pooled threshold must hold, and so must the category's own. Why: the pooled bound holds
 * for the mix of categories the labels had, and a category that is wrong more often can hide in it
 * behind many easy drafts of others (measured: drafts called functional were 9% wrong among the
 * auto-approved of an evaluation half while the rest were 2%); a project with more of that category
 * would then get more errors than the target. A category too small to test alone shares the pooled
 * threshold, as before.
 */
export function withinCategory(pooled: ThresholdResult, category: string, own: readonly ProbabilityOutcome[], targetErrorRate: number, confidenceLevel: number): ThresholdResult {
  if (pooled.threshold === null || own.length < testableSupport(targetErrorRate, confidenceLevel)) return pooled;
  const alone = autoApprovalThreshold(own, targetErrorRate, confidenceLevel);
  return alone.threshold === null || alone.threshold > pooled.threshold ? { ...alone, category } : pooled;
}

/** Whether a draft with this calibrated probability may be auto-approved under the threshold. */
export function mayAutoApprove(p: number, result: Pick<ThresholdResult, "threshold">): boolean {
  return result.threshold !== null && p >= result.threshold;
}
