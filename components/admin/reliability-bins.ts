/** A bin as lib/calibration/reliability.ts gives it; empty bins have no means and are not drawn. */
export type ReliabilityBin = { from: number; to: number; count: number; meanPredicted: number | null; observed: number | null };
type FilledBin = ReliabilityBin & { meanPredicted: number; observed: number };

export function filledBins(bins: readonly ReliabilityBin[]): FilledBin[] {
  return bins.filter((bin): bin is FilledBin => bin.count > 0 && bin.meanPredicted !== null && bin.observed !== null);
}
