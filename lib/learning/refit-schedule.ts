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
 * 2 ms of CPU per label it learns from (a 5,000-label fit, the most there is, ~9 s: the
 * classifier re-scores every label out of fold). So a fit also waits REFIT_SPACING_MS_PER_LABEL
 * per label it learned from before the next one: background refits then take at most ~2% of one
 * core however fast decisions arrive (once every 8 minutes at most for a full fit, every minute
 * up to 600 labels). Routing does not wait for this: it refits first whenever decisions arrived
 * since the last fit (calibration.ts freshCalibration).
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
