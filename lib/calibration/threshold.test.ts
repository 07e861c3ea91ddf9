import { describe, expect, it } from "vitest";
import { clopperPearsonUpper } from "./bounds";
import { autoApprovalThreshold, mayAutoApprove } from "./threshold";

/** `count` labelled drafts with probabilities spread evenly over [from, to), wrong where `wrong(i)`. */
function spread(count: number, from: number, to: number, wrong: (i: number) => boolean = () => false) {
  return Array.from({ length: count }, (_, i) => ({ p: to - ((to - from) * i) / count, correct: !wrong(i) }));
}

describe("autoApprovalThreshold", () => {
  it("auto-approves nothing without labels and says 99 clean decisions are needed at 3% / 95%", () => {
    expect(autoApprovalThreshold([], 0.03, 0.95)).toEqual({ threshold: null, support: 0, errors: 0, upperBound: 1, decisionsNeeded: 99 });
  });

  it("needs the rest of the 99 when the record is clean but short", () => {
    const result = autoApprovalThreshold(spread(40, 0.9, 1), 0.03, 0.95);
    expect(result).toMatchObject({ threshold: null, support: 40, errors: 0, decisionsNeeded: 59 });
    expect(result.upperBound).toBeCloseTo(clopperPearsonUpper(0, 40, 0.95));
  });

  it("chooses the lowest probability whose top segment and every testable one above meet the target", () => {
    // 300 clean drafts from 0.99 down to 0.9, then 100 below with every fourth wrong.
    const labelled = [...spread(300, 0.9, 0.99), ...spread(100, 0.5, 0.9, (i) => i % 4 === 0)];
    const result = autoApprovalThreshold(labelled, 0.03, 0.95);
    expect(result.threshold).not.toBeNull();
    expect(result.decisionsNeeded).toBe(0);
    expect(result.upperBound).toBeLessThanOrEqual(0.03);
    expect(result.upperBound).toBeCloseTo(clopperPearsonUpper(result.errors, result.support, 0.95));
    // Every testable segment from the top down to the threshold meets the target...
    const sorted = [...labelled].sort((a, b) => b.p - a.p);
    const segment = (t: number) => sorted.filter((d) => d.p >= t);
    for (const t of sorted.map((d) => d.p).filter((p) => p >= result.threshold!)) {
      const s = segment(t);
      if (s.length >= 99) expect(clopperPearsonUpper(s.filter((d) => !d.correct).length, s.length, 0.95)).toBeLessThanOrEqual(0.03);
    }
    // ...and the next lower candidate does not.
    const below = sorted.find((d) => d.p < result.threshold!)!;
    const next = segment(below.p);
    expect(clopperPearsonUpper(next.filter((d) => !d.correct).length, next.length, 0.95)).toBeGreaterThan(0.03);
    expect(result.support).toBe(segment(result.threshold!).length);
  });

  it("refuses to let many easy drafts below hide errors among the most confident", () => {
    // Three errors at the very top; 2000 clean drafts below would dilute them to well under 3%.
    const labelled = [...spread(100, 0.98, 1, (i) => i < 3), ...spread(2000, 0.5, 0.98)];
    const diluted = clopperPearsonUpper(3, 2100, 0.95);
    expect(diluted).toBeLessThan(0.03);
    const result = autoApprovalThreshold(labelled, 0.03, 0.95);
    expect(result.threshold).toBeNull();
    expect(result).toMatchObject({ support: 2100, errors: 3 });
    // The top segment needs enough clean decisions added to bring 3 errors within 3%.
    expect(result.decisionsNeeded).toBeGreaterThan(0);
  });

  it("gives a decisionsNeeded that is exactly enough: that many clean labels at the top qualify, one fewer does not", () => {
    const cases = [
      [...spread(100, 0.98, 1, (i) => i < 3), ...spread(2000, 0.5, 0.98)],
      spread(40, 0.9, 1),
      spread(150, 0.6, 1, (i) => i % 30 === 5),
      spread(500, 0.2, 1, (i) => i % 7 === 0),
    ];
    for (const labelled of cases) {
      const result = autoApprovalThreshold(labelled, 0.03, 0.95);
      expect(result.threshold).toBeNull();
      const needed = result.decisionsNeeded!;
      const top = Math.max(...labelled.map((d) => d.p));
      const withClean = (k: number) => [...labelled, ...Array.from({ length: k }, () => ({ p: top, correct: true }))];
      expect(autoApprovalThreshold(withClean(needed), 0.03, 0.95).threshold).not.toBeNull();
      expect(autoApprovalThreshold(withClean(needed - 1), 0.03, 0.95).threshold).toBeNull();
    }
  });

  it("treats tied probabilities as one candidate", () => {
    const labelled = [...Array.from({ length: 120 }, () => ({ p: 0.95, correct: true })), { p: 0.95, correct: false }, ...spread(50, 0.5, 0.9, () => true)];
    const result = autoApprovalThreshold(labelled, 0.05, 0.95);
    expect(result).toMatchObject({ threshold: 0.95, support: 121, errors: 1 });
  });

  it("is stricter at a higher confidence level and looser at a higher target", () => {
    const labelled = spread(1000, 0.3, 1, (i) => i > 300 && i % 10 === 0);
    const base = autoApprovalThreshold(labelled, 0.03, 0.95).threshold!;
    expect(autoApprovalThreshold(labelled, 0.03, 0.99).threshold!).toBeGreaterThanOrEqual(base);
    expect(autoApprovalThreshold(labelled, 0.1, 0.95).threshold!).toBeLessThanOrEqual(base);
  });

  it("does not depend on the order of the labels", () => {
    const labelled = spread(400, 0.3, 1, (i) => i > 250 && i % 5 === 0);
    expect(autoApprovalThreshold([...labelled].reverse(), 0.03, 0.95)).toEqual(autoApprovalThreshold(labelled, 0.03, 0.95));
  });

  it("says null when a zero target can never be met, and refuses bad probabilities", () => {
    expect(autoApprovalThreshold(spread(500, 0.5, 1), 0, 0.95)).toMatchObject({ threshold: null, decisionsNeeded: null });
    expect(() => autoApprovalThreshold([{ p: 1.5, correct: true }], 0.03, 0.95)).toThrow(RangeError);
    expect(() => autoApprovalThreshold([{ p: Number.NaN, correct: true }], 0.03, 0.95)).toThrow(RangeError);
  });
});

describe("mayAutoApprove", () => {
  it("allows probabilities at or above a threshold and nothing without one", () => {
    expect(mayAutoApprove(0.95, { threshold: 0.95 })).toBe(true);
    expect(mayAutoApprove(0.9499, { threshold: 0.95 })).toBe(false);
    expect(mayAutoApprove(1, { threshold: null })).toBe(false);
  });
});
