import { describe, expect, it } from "vitest";
import { clopperPearsonUpper } from "./bounds";
import { seededRandom } from "@/lib/routing/rules";
import { autoApprovalThreshold, mayAutoApprove, testableSupport, withinCategory } from "./threshold";

/** `count` labelled drafts with probabilities spread evenly over [from, to), wrong where `wrong(i)`. */
function spread(count: number, from: number, to: number, wrong: (i: number) => boolean = () => false) {
  return Array.from({ length: count }, (_, i) => ({ p: to - ((to - from) * i) / count, correct: !wrong(i) }));
}

describe("autoApprovalThreshold", () => {
  it("auto-approves nothing without labels and says 106 clean decisions are needed at 3% / 95%", () => {
    // The first test spends 80% of the 5% error budget: 0.97^106 <= 0.04 < 0.97^105.
    expect(autoApprovalThreshold([], 0.03, 0.95)).toEqual({ threshold: null, support: 0, errors: 0, upperBound: 1, decisionsNeeded: 106 });
  });

  it("needs the rest of the 106 when the record is clean but short", () => {
    const result = autoApprovalThreshold(spread(40, 0.9, 1), 0.03, 0.95);
    expect(result).toMatchObject({ threshold: null, support: 40, errors: 0, decisionsNeeded: 66 });
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
      if (s.length >= 106) expect(clopperPearsonUpper(s.filter((d) => !d.correct).length, s.length, 0.95)).toBeLessThanOrEqual(0.03);
    }
    // ...and the next lower candidate does not.
    const below = sorted.find((d) => d.p < result.threshold!)!;
    const next = segment(below.p);
    expect(clopperPearsonUpper(next.filter((d) => !d.correct).length, next.length, 0.95)).toBeGreaterThan(0.03);
    expect(result.support).toBe(segment(result.threshold!).length);
  });

  it("refuses to let many easy drafts below hide a pocket of errors among the most confident", () => {
    // Six errors among the top 100; 2000 clean drafts below would dilute them to well under 3%.
    const labelled = [...spread(100, 0.98, 1, (i) => i < 6), ...spread(2000, 0.5, 0.98)];
    expect(clopperPearsonUpper(6, 2100, 0.95)).toBeLessThan(0.03);
    const result = autoApprovalThreshold(labelled, 0.03, 0.95);
    expect(result.threshold).toBeNull();
    expect(result).toMatchObject({ support: 2100, errors: 6 });
    expect(result.decisionsNeeded).toBeGreaterThan(0);
  });

  it("does not let one wrong draft among the most confident shut auto-approval when thousands of labels bound the rate", () => {
    // 1% wrong, the first error at rank 8: a test that stopped at its first failure would never open.
    const labelled = [...spread(2000, 0.8, 1, (i) => i % 100 === 7), ...spread(1000, 0.2, 0.8, (i) => i % 3 === 0)];
    expect(clopperPearsonUpper(1, 106, 0.95)).toBeGreaterThan(0.03);
    const result = autoApprovalThreshold(labelled, 0.03, 0.95);
    expect(result.threshold).not.toBeNull();
    expect(result.upperBound).toBeLessThanOrEqual(0.03);
    // Its bound holds at the confidence level asked for, and at the stricter level of a checkpoint's share.
    expect(clopperPearsonUpper(result.errors, result.support, 0.95)).toBeLessThanOrEqual(0.03);
    expect(result.support).toBeGreaterThan(1500);
  });

  it("keeps its confidence level: over many simulated deployments whose drafts are in truth wrong 3.5% of the time, auto-approval opens at most 5% of the time", () => {
    const random = seededRandom("threshold-simulation");
    let opened = 0;
    const runs = 300;
    for (let run = 0; run < runs; run++) {
      const labelled = Array.from({ length: 800 }, (_, i) => ({ p: 1 - i / 800, correct: random() >= 0.035 }));
      if (autoApprovalThreshold(labelled, 0.03, 0.95).threshold !== null) opened += 1;
    }
    expect(opened / runs).toBeLessThanOrEqual(0.05);
  });

  it("gives a decisionsNeeded that is exactly enough: that many clean labels at the top qualify, one fewer does not", () => {
    // Records too short or too wrong for a checkpoint further down to open auto-approval on its own.
    const cases = [spread(40, 0.9, 1), spread(150, 0.6, 1, (i) => i % 30 === 5), spread(500, 0.2, 1, (i) => i % 7 === 0)];
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

describe("withinCategory", () => {
  // 1,000 clean labels of other categories, and among them a category wrong one time in ten (15 of 150).
  const others = spread(1000, 0.9, 1);
  const shaky = spread(150, 0.9, 1, (i) => i % 10 === 0);
  const pooled = autoApprovalThreshold([...others, ...shaky], 0.03, 0.95);

  it("keeps a category that is wrong too often out even when the pooled labels open auto-approval", () => {
    expect(pooled.threshold).not.toBeNull();
    const result = withinCategory(pooled, "legal", shaky, 0.03, 0.95);
    expect(result.threshold).toBeNull();
    expect(result).toMatchObject({ support: 150, errors: 15, category: "legal" });
  });

  it("leaves a category too small to test alone, or right often enough, with the pooled threshold or a stricter one", () => {
    expect(testableSupport(0.03, 0.95)).toBe(106);
    expect(withinCategory(pooled, "legal", shaky.slice(0, 105), 0.03, 0.95)).toBe(pooled);
    const clean = withinCategory(pooled, "functional", others, 0.03, 0.95);
    expect(clean.threshold).not.toBeNull();
    expect(clean.threshold!).toBeGreaterThanOrEqual(pooled.threshold!);
    // Nothing opens for a category where the pooled labels open nothing.
    const closed = autoApprovalThreshold(shaky, 0.03, 0.95);
    expect(withinCategory(closed, "functional", others, 0.03, 0.95)).toBe(closed);
  });
});
