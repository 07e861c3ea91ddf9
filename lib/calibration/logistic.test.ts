import { describe, expect, it } from "vitest";
import { fitLogistic, sigmoid, solveSymmetric } from "./logistic";

describe("sigmoid", () => {
  it("is stable at the extremes and symmetric", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
  });
});

describe("solveSymmetric", () => {
  it("solves a positive definite system", () => {
    const x = solveSymmetric([[4, 2], [2, 3]], [2, 1]);
    expect(x[0]).toBeCloseTo(0.5);
    expect(x[1]).toBeCloseTo(0);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => solveSymmetric([[1, 2], [2, 1]], [1, 1])).toThrow(RangeError);
  });
});

describe("fitLogistic", () => {
  it("recovers the log-odds of a rate with an unpenalised intercept", () => {
    const outcomes = [true, true, true, false];
    const [intercept] = fitLogistic({ rows: outcomes.map(() => [1]), outcomes, penalty: [0] });
    expect(sigmoid(intercept)).toBeCloseTo(0.75, 8);
  });

  it("matches the closed form of two groups (saturated model)", () => {
    // Group A: 8 of 10 correct; group B: 3 of 10. Columns: intercept, in-B indicator.
    const rows = [...Array(10).fill([1, 0]), ...Array(10).fill([1, 1])];
    const outcomes = [...Array(8).fill(true), ...Array(2).fill(false), ...Array(3).fill(true), ...Array(7).fill(false)];
    const [a, b] = fitLogistic({ rows, outcomes, penalty: [0, 0] });
    expect(sigmoid(a)).toBeCloseTo(0.8, 8);
    expect(sigmoid(a + b)).toBeCloseTo(0.3, 8);
  });

  it("stays finite on separable data thanks to the penalty, and the penalty shrinks toward the centre", () => {
    const rows = [[1, -1], [1, -1], [1, 1], [1, 1]];
    const outcomes = [false, false, true, true];
    const [, slope] = fitLogistic({ rows, outcomes, penalty: [0, 1] });
    expect(Number.isFinite(slope)).toBe(true);
    expect(slope).toBeGreaterThan(0);
    const [, stiff] = fitLogistic({ rows, outcomes, penalty: [0, 1000], centre: [0, 5] });
    expect(stiff).toBeCloseTo(5, 1);
  });

  it("fixes a non-negative column at 0 when the data pull it below, refitting the rest", () => {
    const rows = [[1, 1], [1, 1], [1, 1], [1, 0], [1, 0], [1, 0]];
    const outcomes = [false, false, true, true, true, false];
    const free = fitLogistic({ rows, outcomes, penalty: [0, 0] });
    expect(free[1]).toBeLessThan(0);
    const constrained = fitLogistic({ rows, outcomes, penalty: [0, 0], nonNegative: [1] });
    expect(constrained[1]).toBe(0);
    expect(sigmoid(constrained[0])).toBeCloseTo(0.5, 8);
  });

  it("holds several non-negative columns at the constrained optimum (checked by nudging each weight)", () => {
    // Two nested ramps: the data fall from x=0 to x=1 then rise to x=2. The first ramp wants to be
    // negative, the second positive once the first is held at 0.
    const xs = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const outcomes = [true, true, true, false, true, false, false, false, true, true, true, true];
    const rows = xs.map((x) => [1, Math.min(x, 1), Math.max(0, x - 1)]);
    const weights = fitLogistic({ rows, outcomes, penalty: [0, 0.01, 0.01], nonNegative: [1, 2] });
    expect(weights[1]).toBe(0);
    expect(weights[2]).toBeGreaterThan(0);
    // Optimality: nudging a held weight up, or moving any free one, never lowers the penalised loss.
    const loss = (w: number[]) =>
      rows.reduce((sum, row, i) => {
        const p = sigmoid(row[0] * w[0] + row[1] * w[1] + row[2] * w[2]);
        return sum - Math.log(outcomes[i] ? p : 1 - p);
      }, 0) + 0.005 * (w[1] ** 2 + w[2] ** 2);
    for (const [j, delta] of [[0, 1e-4], [0, -1e-4], [1, 1e-4], [2, 1e-4], [2, -1e-4]]) {
      const nudged = [...weights];
      nudged[j] += delta;
      expect(loss(nudged)).toBeGreaterThanOrEqual(loss(weights) - 1e-12);
    }
  });

  it("is deterministic and refuses malformed problems", () => {
    const problem = { rows: [[1, 0.3], [1, -0.2], [1, 0.9]], outcomes: [true, false, true], penalty: [0, 1] };
    expect(fitLogistic(problem)).toEqual(fitLogistic(problem));
    expect(() => fitLogistic({ rows: [[1]], outcomes: [], penalty: [0] })).toThrow(RangeError);
    expect(() => fitLogistic({ rows: [[1, 2]], outcomes: [true], penalty: [0] })).toThrow(RangeError);
    expect(() => fitLogistic({ rows: [[1]], outcomes: [true], penalty: [-1] })).toThrow(RangeError);
  });
});
