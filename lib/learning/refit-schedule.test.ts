import { describe, expect, it } from "vitest";
import { backgroundRefitDue, REFIT_AFTER_MS, REFIT_SPACING_MS_PER_LABEL } from "./refit-schedule";

const now = new Date("2026-12-05T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("when the background refit fits a step again", () => {
  it("never without new decisions, however old the fit", () => {
    expect(backgroundRefitDue({ newLabels: 0, fittedLabels: 500, fittedAt: ago(24 * 3600_000) }, now)).toBe(false);
  });

  it("at the first decision of a step never fitted", () => {
    expect(backgroundRefitDue({ newLabels: 1, fittedLabels: 0, fittedAt: null }, now)).toBe(true);
  });

  it("early on, at every decision", () => {
    expect(backgroundRefitDue({ newLabels: 1, fittedLabels: 20, fittedAt: ago(60_000) }, now)).toBe(true);
  });

  it("later, once the new decisions are a twentieth of what it learned from", () => {
    expect(backgroundRefitDue({ newLabels: 49, fittedLabels: 1000, fittedAt: ago(120_000) }, now)).toBe(false);
    expect(backgroundRefitDue({ newLabels: 50, fittedLabels: 1000, fittedAt: ago(120_000) }, now)).toBe(true);
  });

  it("under a stream of decisions, no sooner than the size of the last fit allows", () => {
    // A fit of 5,000 labels (the most) comes due once more than 8 minutes have passed, however many decisions arrived.
    const spacing = 5000 * REFIT_SPACING_MS_PER_LABEL;
    expect(spacing).toBeLessThan(REFIT_AFTER_MS);
    expect(backgroundRefitDue({ newLabels: 40_000, fittedLabels: 5000, fittedAt: ago(60_000) }, now)).toBe(false);
    expect(backgroundRefitDue({ newLabels: 40_000, fittedLabels: 5000, fittedAt: ago(spacing - 1) }, now)).toBe(false);
    expect(backgroundRefitDue({ newLabels: 40_000, fittedLabels: 5000, fittedAt: ago(spacing) }, now)).toBe(true);
    // A small fit is cheap: the minute of the schedule is the only wait.
    expect(backgroundRefitDue({ newLabels: 30, fittedLabels: 600, fittedAt: ago(60_000) }, now)).toBe(true);
  });

  it("for a trickle, once the last fit is old", () => {
    expect(backgroundRefitDue({ newLabels: 3, fittedLabels: 1000, fittedAt: ago(REFIT_AFTER_MS - 1) }, now)).toBe(false);
    expect(backgroundRefitDue({ newLabels: 3, fittedLabels: 1000, fittedAt: ago(REFIT_AFTER_MS) }, now)).toBe(true);
  });
});
