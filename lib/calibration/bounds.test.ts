import { describe, expect, it } from "vitest";
import { clopperPearsonUpper, decisionsNeeded, MAX_DECISIONS_NEEDED, minimumSupport } from "./bounds";

describe("clopperPearsonUpper", () => {
  it("matches the closed form for zero errors (the 'rule of three' family)", () => {
    expect(clopperPearsonUpper(0, 99, 0.95)).toBeCloseTo(1 - 0.05 ** (1 / 99), 10);
    expect(clopperPearsonUpper(0, 99, 0.95)).toBeCloseTo(0.0298, 4);
    expect(clopperPearsonUpper(0, 10, 0.9)).toBeCloseTo(1 - 0.1 ** (1 / 10), 10);
  });

  it("matches the closed form when every draft but one was wrong", () => {
    // errors = n - 1: Beta(n, 1) has quantile q^(1/n).
    expect(clopperPearsonUpper(9, 10, 0.95)).toBeCloseTo(0.95 ** (1 / 10), 10);
  });

  it("is the rate at which seeing at most that many errors becomes 1 - level likely (checked by summing the binomial)", () => {
    const binomialCdf = (k: number, n: number, rate: number) => {
      let term = (1 - rate) ** n;
      let sum = term;
      for (let i = 1; i <= k; i += 1) {
        term *= ((n - i + 1) / i) * (rate / (1 - rate));
        sum += term;
      }
      return sum;
    };
    for (const [errors, n, level] of [[2, 100, 0.95], [5, 50, 0.99], [1, 30, 0.9], [12, 400, 0.95]]) {
      const upper = clopperPearsonUpper(errors, n, level);
      expect(binomialCdf(errors, n, upper)).toBeCloseTo(1 - level, 8);
    }
  });

  it("is 1 with no evidence or when everything was wrong", () => {
    expect(clopperPearsonUpper(0, 0, 0.95)).toBe(1);
    expect(clopperPearsonUpper(7, 7, 0.95)).toBe(1);
  });

  it("rises with the confidence level and the errors, falls with the support", () => {
    expect(clopperPearsonUpper(1, 100, 0.99)).toBeGreaterThan(clopperPearsonUpper(1, 100, 0.95));
    expect(clopperPearsonUpper(2, 100, 0.95)).toBeGreaterThan(clopperPearsonUpper(1, 100, 0.95));
    expect(clopperPearsonUpper(1, 200, 0.95)).toBeLessThan(clopperPearsonUpper(1, 100, 0.95));
    expect(clopperPearsonUpper(1, 100, 0.95)).toBeGreaterThan(1 / 100);
  });

  it("refuses impossible counts and levels", () => {
    expect(() => clopperPearsonUpper(3, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(-1, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0.5, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0, 2, 1)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0, 2, 0)).toThrow(RangeError);
    expect(() => clopperPearsonUpper(0, 2, Number.NaN)).toThrow(RangeError);
  });
});

describe("decisionsNeeded", () => {
  it("is 0 when the bound is already within the target", () => {
    expect(decisionsNeeded(0, 99, 0.03, 0.95)).toBe(0);
    expect(decisionsNeeded(0, 500, 0.03, 0.95)).toBe(0);
  });

  it("is the smallest number of error-free decisions that suffices", () => {
    const needed = decisionsNeeded(0, 40, 0.03, 0.95);
    expect(needed).toBe(59);
    expect(clopperPearsonUpper(0, 40 + 59, 0.95)).toBeLessThanOrEqual(0.03);
    expect(clopperPearsonUpper(0, 40 + 58, 0.95)).toBeGreaterThan(0.03);
  });

  it("counts the decisions needed to outweigh past errors", () => {
    const needed = decisionsNeeded(2, 50, 0.03, 0.95)!;
    expect(clopperPearsonUpper(2, 50 + needed, 0.95)).toBeLessThanOrEqual(0.03);
    expect(clopperPearsonUpper(2, 50 + needed - 1, 0.95)).toBeGreaterThan(0.03);
  });

  it("works from nothing and from all-wrong evidence", () => {
    expect(decisionsNeeded(0, 0, 0.03, 0.95)).toBe(99);
    const needed = decisionsNeeded(3, 3, 0.1, 0.95)!;
    expect(clopperPearsonUpper(3, 3 + needed, 0.95)).toBeLessThanOrEqual(0.1);
  });

  it("is null beyond the cap, including a target of zero", () => {
    expect(decisionsNeeded(0, 0, 0, 0.95)).toBeNull();
    expect(decisionsNeeded(500, 1000, 0.001, 0.95)).toBeNull();
    expect(decisionsNeeded(0, 0, 0.00001, 0.95)).toBeNull();
    expect(MAX_DECISIONS_NEEDED).toBe(100_000);
  });

  it("refuses a negative target", () => {
    expect(() => decisionsNeeded(0, 10, -0.1, 0.95)).toThrow(RangeError);
  });
});

describe("minimumSupport", () => {
  it("is the support at which a clean record first meets the target", () => {
    expect(minimumSupport(0.03, 0.95)).toBe(99);
    expect(minimumSupport(0.05, 0.95)).toBe(59);
    expect(minimumSupport(0, 0.95)).toBeNull();
  });
});
