import { describe, expect, it } from "vitest";
import { expectedCalibrationError, reliabilityBins } from "./reliability";

describe("reliabilityBins", () => {
  it("lists every bin, empty ones with null figures", () => {
    const bins = reliabilityBins([], 4);
    expect(bins).toEqual([
      { from: 0, to: 0.25, count: 0, meanPredicted: null, observed: null },
      { from: 0.25, to: 0.5, count: 0, meanPredicted: null, observed: null },
      { from: 0.5, to: 0.75, count: 0, meanPredicted: null, observed: null },
      { from: 0.75, to: 1, count: 0, meanPredicted: null, observed: null },
    ]);
    expect(reliabilityBins([])).toHaveLength(10);
  });

  it("counts, averages and measures each bin; 1 falls in the last bin, a boundary in the upper bin", () => {
    const bins = reliabilityBins(
      [
        { p: 0.1, correct: false },
        { p: 0.2, correct: true },
        { p: 0.5, correct: true },
        { p: 0.9, correct: true },
        { p: 1, correct: false },
      ],
      2,
    );
    expect(bins[0]).toEqual({ from: 0, to: 0.5, count: 2, meanPredicted: expect.closeTo(0.15), observed: 0.5 });
    expect(bins[1]).toEqual({ from: 0.5, to: 1, count: 3, meanPredicted: expect.closeTo(0.8), observed: 2 / 3 });
  });

  it("refuses probabilities outside [0, 1] and bad bin counts", () => {
    expect(() => reliabilityBins([{ p: 1.01, correct: true }])).toThrow(RangeError);
    expect(() => reliabilityBins([{ p: Number.NaN, correct: true }])).toThrow(RangeError);
    expect(() => reliabilityBins([], 0)).toThrow(RangeError);
    expect(() => reliabilityBins([], 2.5)).toThrow(RangeError);
  });
});

describe("expectedCalibrationError", () => {
  it("is 0 for perfectly calibrated bins", () => {
    const pairs = [
      { p: 0.25, correct: true },
      { p: 0.25, correct: false },
      { p: 0.25, correct: false },
      { p: 0.25, correct: false },
      { p: 1, correct: true },
    ];
    expect(expectedCalibrationError(pairs)).toBeCloseTo(0);
  });

  it("weights each bin's gap by its share of the pairs", () => {
    const pairs = [
      { p: 0.9, correct: true },
      { p: 0.9, correct: false },
      { p: 0.9, correct: true },
      { p: 0.1, correct: false },
    ];
    // Bin 0.9: observed 2/3 vs 0.9, 3 of 4 pairs; bin 0.1: observed 0 vs 0.1, 1 of 4.
    expect(expectedCalibrationError(pairs)).toBeCloseTo((3 / 4) * (0.9 - 2 / 3) + (1 / 4) * 0.1);
    expect(expectedCalibrationError(pairs, 1)).toBeCloseTo(Math.abs(0.7 - 0.5));
  });

  it("is null with nothing to measure", () => {
    expect(expectedCalibrationError([])).toBeNull();
    expect(() => expectedCalibrationError([], 0)).toThrow(RangeError);
  });
});
