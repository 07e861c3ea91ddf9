export type ProbabilityOutcome = { p: number; correct: boolean };

export type ReliabilityBin = {
  from: number;
  to: number;
  count: number;
  /** Mean predicted probability in the bin; null when it is empty. */
  meanPredicted: number | null;
  /** Share of the bin's drafts that were correct; null when it is empty. */
  observed: number | null;
};

function assertBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a whole number >= 1, got ${bins}`);
}

/** Equal-width bins over [0, 1] (the last one closed), empty bins included so charts keep their axis. */
export function reliabilityBins(pairs: readonly ProbabilityOutcome[], bins = 10): ReliabilityBin[] {
  assertBins(bins);
  const sums = Array.from({ length: bins }, () => ({ count: 0, predicted: 0, correct: 0 }));
  for (const { p, correct } of pairs) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilities must be in [0, 1], got ${p}`);
    const sum = sums[Math.min(bins - 1, Math.floor(p * bins))];
    sum.count += 1;
    sum.predicted += p;
    sum.correct += correct ? 1 : 0;
  }
  return sums.map((sum, index) => ({
    from: index / bins,
    to: (index + 1) / bins,
    count: sum.count,
    meanPredicted: sum.count === 0 ? null : sum.predicted / sum.count,
    observed: sum.count === 0 ? null : sum.correct / sum.count,
  }));
}

/** Count-weighted mean gap between predicted and observed correctness over the bins; null with no pairs. */
export function expectedCalibrationError(pairs: readonly ProbabilityOutcome[], bins = 10): number | null {
  if (pairs.length === 0) {
    assertBins(bins);
    return null;
  }
  return reliabilityBins(pairs, bins).reduce(
    (sum, bin) => (bin.count === 0 ? sum : sum + (bin.count / pairs.length) * Math.abs(bin.observed! - bin.meanPredicted!)),
    0,
  );
}
