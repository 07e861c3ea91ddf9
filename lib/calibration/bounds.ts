import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";

/** Past this many extra decisions the answer is "not in any useful time", so we say null. */
export const MAX_DECISIONS_NEEDED = 100_000;

function assertCounts(errors: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (!Number.isInteger(errors) || errors < 0 || errors > n) throw new RangeError(`errors must be a whole number in [0, ${n}], got ${errors}`);
}

function assertLevel(confidenceLevel: number): void {
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${confidenceLevel}`);
}

/**
 * One-sided exact (Clopper-Pearson) upper bound of an error rate seen as `errors` of `n`: the true
 * rate is at most this with probability `confidenceLevel`. Exact, so it stays honest for the small
 * counts that auto-approval decisions are made on, where a normal approximation would flatter us.
 */
export function clopperPearsonUpper(errors: number, n: number, confidenceLevel: number): number {
  assertCounts(errors, n);
  assertLevel(confidenceLevel);
  if (n === 0 || errors === n) return 1;
  return betaQuantile(confidenceLevel, errors + 1, n - errors);
}

/**
 * How many more error-free decisions would bring the bound of `errors` of `n` within `target`:
 * 0 when it already is, null when it would take more than MAX_DECISIONS_NEEDED.
 */
export function decisionsNeeded(errors: number, n: number, target: number, confidenceLevel: number): number | null {
  assertCounts(errors, n);
  assertLevel(confidenceLevel);
  if (!(target >= 0)) throw new RangeError(`target must be >= 0, got ${target}`);
  const within = (extra: number) => clopperPearsonUpper(errors, n + extra, confidenceLevel) <= target;
  if (within(0)) return 0;
  if (!within(MAX_DECISIONS_NEEDED)) return null;
  // The bound falls as error-free decisions are added, so the smallest sufficient count is found by bisection.
  let enough = MAX_DECISIONS_NEEDED;
  let tooFew = 0;
  while (enough - tooFew > 1) {
    const middle = Math.floor((enough + tooFew) / 2);
    if (within(middle)) enough = middle;
    else tooFew = middle;
  }
  return enough;
}

/** The fewest decisions whose bound can reach `target` even with no error among them. */
export function minimumSupport(target: number, confidenceLevel: number): number | null {
  return decisionsNeeded(0, 0, target, confidenceLevel);
}
