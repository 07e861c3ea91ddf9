import { describe, expect, it } from "vitest";
import { calibratedProbability, fitCalibration } from "@/lib/calibration";
import { defaultPolicy } from "@/lib/policies/service";
import type { Calibration } from "./calibration";
import { ASSUMED_REVIEW_MS, figuresFor, replayAutoApprovals, type HistoricDraft } from "./what-if";

/** A history where confident drafts are right and hesitant ones mostly wrong, with its calibration. */
function world() {
  const history: HistoricDraft[] = Array.from({ length: 400 }, (_, index) => {
    const rawConfidence = index < 300 ? 0.9 : 0.3;
    return {
      features: { rawConfidence, category: index % 2 ? "security" : "functional", flags: [], modelId: "offline:drafter", sourceKind: "document" },
      draftReasons: index === 5 ? ["malformed"] : [],
      stepCostUsd: 0.001,
      tokens: { inputTokens: 1000, outputTokens: 100 },
      correct: index < 300 ? true : index % 4 === 0,
      reviewMs: index % 10 === 0 ? 30_000 : null,
    };
  });
  const model = fitCalibration(history.map((draft) => ({ ...draft.features, correct: draft.correct === true })));
  const calibration: Calibration = {
    stepKey: "synthesize-requirements",
    version: 1,
    labelCount: history.length,
    model,
    scored: history.map((draft) => ({ p: calibratedProbability(model, draft.features).probability, correct: draft.correct === true, category: draft.features.category, clean: true })),
    createdAt: new Date(0),
    reason: "test",
  };
  return { history, calibration };
}

describe("what-if replay", () => {
  it("auto-approves under the current bound only confident, clean drafts", () => {
    const { history, calibration } = world();
    const auto = replayAutoApprovals(history, calibration, defaultPolicy);
    expect(auto.filter(Boolean).length).toBe(299);
    expect(auto[5]).toBe(false);
    expect(auto.slice(300).some(Boolean)).toBe(false);
  });

  it("moves drafts to people when the policy gets stricter, and nothing is auto-approved without calibration", () => {
    const { history, calibration } = world();
    expect(replayAutoApprovals(history, calibration, { ...defaultPolicy, alwaysReview: true }).some(Boolean)).toBe(false);
    expect(replayAutoApprovals(history, calibration, { ...defaultPolicy, minConfidence: 0.95 }).some(Boolean)).toBe(false);
    expect(replayAutoApprovals(history, null, defaultPolicy).some(Boolean)).toBe(false);
    const strictSecurity = replayAutoApprovals(history, calibration, { ...defaultPolicy, categories: { security: { alwaysReview: true } } });
    expect(strictSecurity.filter((auto, index) => auto && history[index].features.category === "security")).toEqual([]);
  });

  it("prices reviewer hours from measured decision times, audits included, and counts escaped defects", () => {
    const { history } = world();
    const auto = history.map((_, index) => index < 100 || index === 301);
    const figures = figuresFor(history, auto, defaultPolicy, 0.9);
    expect(figures).toMatchObject({ drafts: 400, autoApproved: 101, toPeople: 299, escapedDefects: 1, threshold: 0.9 });
    expect(figures.reviewerHours).toBeCloseTo(((299 + 101 * 0.05) * 30_000) / 3_600_000, 2);
    expect(figures.modelCostUsd).toBeCloseTo(0.4, 6);
    const unmeasured = figuresFor(history.map((draft) => ({ ...draft, reviewMs: null })), auto, defaultPolicy, 0.9);
    expect(unmeasured.reviewerHours).toBeCloseTo(((299 + 101 * 0.05) * ASSUMED_REVIEW_MS) / 3_600_000, 2);
  });

  it("reprices the drafts for a proposed model from their tokens", () => {
    const { history } = world();
    const figures = figuresFor(history, history.map(() => false), { ...defaultPolicy, modelId: "openai:gpt-4.1-mini" }, null);
    // 1,000 in at $0.40/M plus 100 out at $1.60/M, 400 times.
    expect(figures.modelCostUsd).toBeCloseTo(400 * (1000 * 0.4 + 100 * 1.6) / 1_000_000, 6);
  });
});
