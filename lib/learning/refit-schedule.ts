/**
 * When the background refit (every minute) fits a step's calibration again. A fit reads every
 * label of the step and trains the category classifier on them, so its cost grows with the
 * labels: refitting each minute a decision arrived would spend seconds of every minute on a team
 * deciding all day. A step is refitted once the decisions since its last fit are a noticeable
 * share of what it learned from, or, for a trickle, once that fit is old. Early on every decision
 * counts (one new label in twenty is enough); an audited error among auto-approved drafts refits
 * at once whatever this says (calibration.ts tightenAfterAuditError).
 *
 * Under a steady stream of decisions the share comes due every minute, and a fit costs about
 * 5 ms of CPU per label it learns from (551 labels: 2.8 s; the category classifier is fitted to
 * convergence for each of five folds to re-score every label out of fold). So a fit also waits
 * REFIT_SPACING_MS_PER_LABEL per label it learned from before the next one: background refits
 * then take about 5% of one core at most however fast decisions arrive (a full fit of 5,000
 * labels at most every 8 minutes, fits of up to 600 labels every minute). Routing does not wait
 * for this: it refits first whenever decisions arrived since the last fit (calibration.ts
 * freshCalibration).
 */
export const REFIT_SHARE = 0.05;
export const REFIT_AFTER_MS = 10 * 60_000;
export const REFIT_SPACING_MS_PER_LABEL = 100;

export type FitState = { newLabels: number; fittedLabels: number; fittedAt: Date | null };

export function backgroundRefitDue({ newLabels, fittedLabels, fittedAt }: FitState, now: Date): boolean {
  if (newLabels <= 0) return false;
  if (fittedAt === null) return true;
  const sinceFit = now.getTime() - fittedAt.getTime();
  if (sinceFit >= REFIT_AFTER_MS) return true;
  return newLabels >= Math.max(1, Math.ceil(fittedLabels * REFIT_SHARE)) && sinceFit >= fittedLabels * REFIT_SPACING_MS_PER_LABEL;
}
