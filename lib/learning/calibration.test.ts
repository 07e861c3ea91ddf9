import { describe, expect, it } from "vitest";
import { autoApprovalThreshold, fitCalibration } from "@/lib/calibration";
import { defaultPolicy } from "@/lib/policies/service";
import { thresholdFor, type Calibration } from "./calibration";

/** 600 clean labelled drafts, every tenth wrong and the rest spread over [0.5, 1); half security, half functional. */
function calibration(): Calibration {
  const scored = Array.from({ length: 600 }, (_, i) => ({ p: 1 - i / 1200, correct: i % 10 !== 9 || i > 500, category: i % 2 ? "security" : "functional", clean: true }));
  return { stepKey: "synthesize-requirements", version: 1, labelCount: scored.length, model: fitCalibration([]), scored, createdAt: new Date(0), reason: "test" };
}

describe("thresholdFor", () => {
  it("answers each policy from the same fit with its own threshold, however often it is asked", () => {
    const fit = calibration();
    const strict = thresholdFor(fit, defaultPolicy, null);
    const loose = thresholdFor(fit, { ...defaultPolicy, targetErrorRate: 0.2 }, null);
    expect(loose.threshold).not.toBeNull();
    expect(strict).toEqual(autoApprovalThreshold(fit.scored, 0.03, 0.95));
    expect(loose).toEqual(autoApprovalThreshold(fit.scored, 0.2, 0.95));
    // Asked again, in the other order: the same answers.
    expect(thresholdFor(fit, { ...defaultPolicy, targetErrorRate: 0.2 }, null)).toEqual(loose);
    expect(thresholdFor(fit, defaultPolicy, null)).toEqual(strict);
  });

  it("judges a category with its own target on its own labels, and others on the step's", () => {
    const fit = calibration();
    const values = { ...defaultPolicy, categories: { security: { targetErrorRate: 0.2 } } };
    const security = fit.scored.filter((label) => label.category === "security");
    expect(thresholdFor(fit, values, "security")).toEqual(autoApprovalThreshold(security, 0.2, 0.95));
    expect(thresholdFor(fit, values, "functional")).toEqual(autoApprovalThreshold(fit.scored, 0.03, 0.95));
  });

  it("gives a refitted calibration its own answer", () => {
    const before = calibration();
    const after = { ...calibration(), version: 2, scored: calibration().scored.map((label) => ({ ...label, correct: true })) };
    expect(thresholdFor(before, defaultPolicy, null)).not.toEqual(thresholdFor(after, defaultPolicy, null));
  });
});
