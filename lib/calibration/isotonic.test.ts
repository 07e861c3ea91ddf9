import { describe, expect, it } from "vitest";
import { fitIsotonic, isotonicModelSchema, poolAdjacentViolators, predictIsotonic } from "./isotonic";

describe("poolAdjacentViolators", () => {
  it("leaves already increasing data alone", () => {
    expect(poolAdjacentViolators([{ x: 1, y: 0 }, { x: 2, y: 0.5 }, { x: 3, y: 1 }])).toEqual([
      { x: 1, y: 0, weight: 1 },
      { x: 2, y: 0.5, weight: 1 },
      { x: 3, y: 1, weight: 1 },
    ]);
  });

  it("pools violators into their weighted mean, cascading backwards", () => {
    // 1, 3, 2 -> 1, 2.5, 2.5; then a -3 at the end pools the last block, then everything.
    expect(poolAdjacentViolators([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 2 }])).toEqual([
      { x: 0, y: 1, weight: 1 },
      { x: 1.5, y: 2.5, weight: 2 },
    ]);
    expect(poolAdjacentViolators([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: -3 }])).toEqual([{ x: 1.5, y: 0.75, weight: 4 }]);
  });

  it("uses the weights", () => {
    expect(poolAdjacentViolators([{ x: 0, y: 1, weight: 3 }, { x: 1, y: 0, weight: 1 }])).toEqual([{ x: 0.25, y: 0.75, weight: 4 }]);
  });

  it("does not depend on input order, and pools equal x first", () => {
    const points = [{ x: 2, y: 1 }, { x: 1, y: 0 }, { x: 2, y: 0 }, { x: 3, y: 1 }];
    expect(poolAdjacentViolators(points)).toEqual(poolAdjacentViolators([...points].reverse()));
    expect(poolAdjacentViolators(points)).toEqual([
      { x: 1, y: 0, weight: 1 },
      { x: 2, y: 0.5, weight: 2 },
      { x: 3, y: 1, weight: 1 },
    ]);
  });

  it("minimises the weighted squared error among nondecreasing fits (checked against brute force)", () => {
    const points = [{ x: 0, y: 0.2 }, { x: 1, y: 0.9 }, { x: 2, y: 0.1, weight: 2 }, { x: 3, y: 0.6 }, { x: 4, y: 0.5 }];
    const blocks = poolAdjacentViolators(points);
    const loss = (fit: number[]) => points.reduce((sum, p, i) => sum + (p.weight ?? 1) * (p.y - fit[i]) ** 2, 0);
    // Points are given in x order; hand each block's value to the points whose weight it pooled.
    const fitted: number[] = [];
    let block = 0;
    let used = 0;
    for (const point of points) {
      fitted.push(blocks[block].y);
      used += point.weight ?? 1;
      if (used >= blocks[block].weight - 1e-12) {
        block += 1;
        used = 0;
      }
    }
    const grid = [0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9];
    let best = Number.POSITIVE_INFINITY;
    const search = (prefix: number[]) => {
      if (prefix.length === points.length) {
        best = Math.min(best, loss(prefix));
        return;
      }
      for (const v of grid) if (prefix.length === 0 || v >= prefix[prefix.length - 1]) search([...prefix, v]);
    };
    search([]);
    expect(loss(fitted)).toBeLessThanOrEqual(best + 1e-12);
  });

  it("skips zero weights and refuses non-finite input", () => {
    expect(poolAdjacentViolators([{ x: 0, y: 5, weight: 0 }, { x: 1, y: 1 }])).toEqual([{ x: 1, y: 1, weight: 1 }]);
    expect(poolAdjacentViolators([])).toEqual([]);
    expect(() => poolAdjacentViolators([{ x: Number.NaN, y: 1 }])).toThrow(RangeError);
    expect(() => poolAdjacentViolators([{ x: 0, y: 1, weight: -1 }])).toThrow(RangeError);
    expect(() => poolAdjacentViolators([{ x: 0, y: Number.POSITIVE_INFINITY }])).toThrow(RangeError);
  });
});

describe("fitIsotonic and predictIsotonic", () => {
  const model = fitIsotonic([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 0 }, { x: 4, y: 1 }]);

  it("stores breakpoints that survive JSON and the schema", () => {
    expect(model).toEqual({ x: [0, 1.5, 4], y: [0, 0.5, 1] });
    expect(isotonicModelSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it("interpolates between breakpoints and clamps outside them", () => {
    expect(predictIsotonic(model, 0)).toBe(0);
    expect(predictIsotonic(model, 0.75)).toBeCloseTo(0.25);
    expect(predictIsotonic(model, 1.5)).toBe(0.5);
    expect(predictIsotonic(model, 2.75)).toBeCloseTo(0.75);
    expect(predictIsotonic(model, -10)).toBe(0);
    expect(predictIsotonic(model, 10)).toBe(1);
    expect(() => predictIsotonic(model, Number.NaN)).toThrow(RangeError);
  });

  it("predicts a nondecreasing function", () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (let x = -1; x <= 5; x += 0.01) {
      const y = predictIsotonic(model, x);
      expect(y).toBeGreaterThanOrEqual(previous);
      previous = y;
    }
  });

  it("answers a single breakpoint everywhere", () => {
    const flat = fitIsotonic([{ x: 3, y: 0.4 }, { x: 3, y: 0.6 }]);
    expect(flat).toEqual({ x: [3], y: [0.5] });
    expect(predictIsotonic(flat, -1)).toBe(0.5);
    expect(predictIsotonic(flat, 99)).toBe(0.5);
  });

  it("needs a point, and the schema refuses broken models", () => {
    expect(() => fitIsotonic([])).toThrow(RangeError);
    expect(isotonicModelSchema.safeParse({ x: [0, 1], y: [1, 0] }).success).toBe(false);
    expect(isotonicModelSchema.safeParse({ x: [1, 0], y: [0, 1] }).success).toBe(false);
    expect(isotonicModelSchema.safeParse({ x: [0], y: [0, 1] }).success).toBe(false);
    expect(isotonicModelSchema.safeParse({ x: [], y: [] }).success).toBe(false);
  });
});
