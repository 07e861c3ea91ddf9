/**
 * When the background refit (every minute) fits a step's calibration again. A fit reads every
 * label of the step and trains the category classifier on them, so its cost grows with the
 * labels: refitting each minute a decision arrived would spend seconds of every minute on a team
 * deciding all day. A step is refitted once the decisions since its last fit are a noticeable
 * share of what it learned from, or, for a trickle, once that fit is old. Early on every decision
 * counts (one new label in twenty is enough); an audited error among auto-approved drafts refits
 * at once whatever this says (calibration.ts tightenAfterAuditError).
 */
export const REFIT_SHARE = 0.05;
export const REFIT_AFTER_MS = 10 * 60_000;

export type FitState = { newLabels: number; fittedLabels: number; fittedAt: Date | null };

export function backgroundRefitDue({ newLabels, fittedLabels, fittedAt }: FitState, now: Date): boolean {
  if (newLabels <= 0) return false;
  if (fittedAt === null || newLabels >= Math.max(1, Math.ceil(fittedLabels * REFIT_SHARE))) return true;
  return now.getTime() - fittedAt.getTime() >= REFIT_AFTER_MS;
}
