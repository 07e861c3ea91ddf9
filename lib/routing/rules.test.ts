import { describe, expect, it, vi } from "vitest";
import { routeArtifact, routingReasonCodes, seededRandom, stratifiedSampler, type RoutingEvidence, type RoutingPolicy } from "./rules";
import { routingResultSchema } from "./schema";

const policy: RoutingPolicy = { minConfidence: 0.2, maxCostUsd: 0.5, auditSampleRate: 0.05, alwaysReview: false, targetErrorRate: 0.03, confidenceLevel: 0.95 };

const calibrated = { probability: 0.97, threshold: 0.9, labels: 240, decisionsNeeded: 0, version: 3 };

const clean: RoutingEvidence = {
  confidence: 0.9,
  unsure: null,
  qualityFlags: [],
  conflicts: [],
  stepCostUsd: 0.01,
  ungrounded: [],
  contractViolation: null,
  providerError: null,
  calibration: calibrated,
};

const neverSampled = () => false;
const codesOf = (result: { reasons: { code: string }[] }) => result.reasons.map((reason) => reason.code);
const compoundFlag = { code: "compound", words: ["and"], message: "..." };
const flag = (code: "malformed" | "unfaithful" | "suspected_injection" | "vague_wording", words: string[], message: string) => ({ code, words, message });

describe("routeArtifact", () => {
  it("auto-approves a clean draft whose calibrated probability clears the threshold, and records the policy", () => {
    expect(routeArtifact(clean, policy, neverSampled)).toEqual({ outcome: "auto_approve", reasons: [], policy, clean: true, eligible: true });
  });

  it.each<[string, Partial<RoutingEvidence>, Partial<RoutingPolicy>, string]>([
    ["low_confidence", { confidence: 0.12 }, {}, "the drafter's confidence 0.12 is below the policy minimum 0.20"],
    ["low_confidence", { confidence: null }, {}, "the drafter's confidence is unknown, so it cannot meet the policy minimum 0.20"],
    ["model_unsure", { unsure: "the interview and the e-mail disagree" }, {}, 'the model said it is unsure: "the interview and the e-mail disagree"'],
    ["malformed", { qualityFlags: [flag("malformed", ["after Actually, to"], "a fragment with a leftover of the source")] }, {}, 'a fragment with a leftover of the source ("after Actually, to")'],
    ["unfaithful", { qualityFlags: [flag("unfaithful", ["8:00"], "the quote does not say 8:00")] }, {}, 'the quote does not say 8:00 ("8:00")'],
    ["suspected_injection", { qualityFlags: [flag("suspected_injection", [], "addressed to the drafting system")] }, {}, "addressed to the drafting system"],
    ["quality_flag", { qualityFlags: [flag("vague_wording", ["fast", "user-friendly"], "..."), { code: "unmeasurable", words: [], message: "..." }] }, {}, 'the quality check flagged vague_wording ("fast", "user-friendly"), unmeasurable'],
    ["conflict", { conflicts: ["R1 and R4 disagree on opening hours"] }, {}, "part of a conflict: R1 and R4 disagree on opening hours"],
    ["conflict", { conflicts: ["A vs B", "A vs C"] }, {}, "part of 2 conflicts: A vs B; A vs C"],
    ["high_cost", { stepCostUsd: 0.5000001 }, {}, "the drafting step cost $0.5000001, above the policy maximum $0.50"],
    ["high_cost", { stepCostUsd: null }, {}, "the drafting model has no known price, so its cost cannot be checked against the budget"],
    ["always_review", {}, { alwaysReview: true }, "the policy sends every item of this step to review"],
    [
      "ungrounded",
      { ungrounded: [{ quote: "Patients love it", sourceId: "s1", problem: "not_found" }, { quote: "Call us", sourceId: "s9", problem: "unknown_source" }] },
      {},
      'not grounded in its sources: "Patients love it" (not found in source s1); "Call us" (source s9 does not exist)',
    ],
    ["contract_violation", { contractViolation: "category: invalid option" }, {}, "the draft broke its output contract: category: invalid option"],
    [
      "provider_error",
      { providerError: "every model asked to re-draft it failed: openai:gpt-5: 3 calls failed" },
      {},
      "the draft was uncertain enough to go to a stronger model, but every model asked to re-draft it failed: openai:gpt-5: 3 calls failed",
    ],
    [
      "insufficient_evidence",
      { calibration: { ...calibrated, threshold: null, labels: 40, decisionsNeeded: 59 } },
      {},
      "40 labelled drafts do not yet show, with 95% confidence, an error rate within 3% for any auto-approved drafts of this step; about 59 more error-free decisions are needed",
    ],
    ["below_threshold", { calibration: { ...calibrated, probability: 0.81 } }, {}, "the calibrated probability 0.81 is below the threshold 0.90 that 240 labelled drafts support"],
    [
      "insufficient_evidence",
      { calibration: { ...calibrated, threshold: null, labels: 150, decisionsNeeded: 120, category: "fault_tolerance" } },
      {},
      "150 labelled drafts do not yet show, with 95% confidence, an error rate within 3% for any auto-approved fault tolerance drafts of this step; about 120 more error-free decisions are needed",
    ],
  ])("sends a draft to review for %s alone", (code, evidence, policyChange, detail) => {
    const sampler = vi.fn(neverSampled);
    const result = routeArtifact({ ...clean, ...evidence }, { ...policy, ...policyChange }, sampler);
    expect(result.outcome).toBe("review");
    expect(result.reasons).toEqual([{ code, detail }]);
    expect(sampler).not.toHaveBeenCalled();
  });

  it("calls a draft clean when only the evidence (not the draft) held it back", () => {
    expect(routeArtifact({ ...clean, calibration: { ...calibrated, probability: 0.5 } }, policy, neverSampled)).toMatchObject({ clean: true, eligible: false });
    expect(routeArtifact({ ...clean, unsure: "hedged" }, policy, neverSampled)).toMatchObject({ clean: false, eligible: false });
  });

  it("never auto-approves without a threshold, however confident the drafter and calibration are", () => {
    const result = routeArtifact({ ...clean, confidence: 1, calibration: { ...calibrated, probability: 1, threshold: null, decisionsNeeded: 3 } }, policy, neverSampled);
    expect(result.outcome).toBe("review");
    expect(codesOf(result)).toEqual(["insufficient_evidence"]);
  });

  it("lists every reason about the draft that applies, in the order of the reason codes, without the evidence reasons", () => {
    const result = routeArtifact(
      {
        confidence: null,
        unsure: "hedged wording",
        qualityFlags: [flag("malformed", [], "m"), flag("unfaithful", [], "u"), flag("suspected_injection", [], "s"), flag("vague_wording", ["fast"], "v"), compoundFlag],
        conflicts: ["R1 vs R2"],
        stepCostUsd: 2,
        ungrounded: [{ quote: "x", sourceId: "s1", problem: "not_found" }],
        contractViolation: "statement: too short",
        providerError: "every model failed",
        calibration: { ...calibrated, threshold: null, decisionsNeeded: null },
      },
      { ...policy, alwaysReview: true, auditSampleRate: 1 },
      neverSampled,
    );
    expect(result.outcome).toBe("review");
    expect(codesOf(result)).toEqual(routingReasonCodes.filter((code) => !["insufficient_evidence", "below_threshold", "audit_sample", "edited"].includes(code)));
  });

  describe("wording advice (several requirements in one, an unclear pronoun)", () => {
    const advised: RoutingEvidence = { ...clean, qualityFlags: [compoundFlag, { code: "ambiguous_pronoun", words: ["it"], message: "..." }] };
    const note = { code: "wording_note", detail: 'the wording could be clearer: compound ("and"), ambiguous_pronoun ("it") (on its own this would not send a draft to people)' };

    it("does not hold a draft on its own: calibration has weighed it", () => {
      expect(routeArtifact(advised, policy, neverSampled)).toEqual({ outcome: "auto_approve", reasons: [], policy, clean: true, eligible: true });
    });

    it("is shown beside whatever did hold the draft, in the order of the reason codes", () => {
      const below = routeArtifact({ ...advised, calibration: { ...calibrated, probability: 0.5 } }, policy, neverSampled);
      expect(below).toMatchObject({ outcome: "review", clean: true, eligible: false });
      expect(below.reasons).toEqual([note, { code: "below_threshold", detail: "the calibrated probability 0.50 is below the threshold 0.90 that 240 labelled drafts support" }]);
      const vague = routeArtifact({ ...advised, qualityFlags: [...advised.qualityFlags, flag("vague_wording", ["fast"], "...")] }, policy, neverSampled);
      expect(vague).toMatchObject({ outcome: "review", clean: false });
      expect(codesOf(vague)).toEqual(["quality_flag", "wording_note"]);
      expect(vague.reasons[0].detail).toBe('the quality check flagged vague_wording ("fast")');
      expect(codesOf(routeArtifact(advised, policy, () => true))).toEqual(["wording_note", "audit_sample"]);
    });
  });

  it("treats a probability equal to the threshold as enough, and cost equal to the maximum as affordable", () => {
    const result = routeArtifact({ ...clean, calibration: { ...calibrated, probability: 0.9 }, stepCostUsd: 0.5 }, policy, neverSampled);
    expect(result.outcome).toBe("auto_approve");
  });

  describe("audit sampling", () => {
    it("sends a would-be-auto-approved draft to people when the sampler picks it, and says why on the item", () => {
      const sampler = vi.fn(() => true);
      const result = routeArtifact(clean, policy, sampler);
      expect(result).toMatchObject({ outcome: "review", clean: true, eligible: true });
      expect(result.reasons).toEqual([
        {
          code: "audit_sample",
          detail:
            "would have been auto-approved (calibrated probability 0.97), but was picked at random for an audit: 5% of such drafts go to people, so the error rate of auto-approval stays measured",
        },
      ]);
      expect(sampler).toHaveBeenCalledWith(0.05);
    });

    it("never asks the sampler about a draft that goes to review anyway", () => {
      const sampler = vi.fn(() => true);
      const result = routeArtifact({ ...clean, confidence: 0.1 }, { ...policy, auditSampleRate: 1 }, sampler);
      expect(codesOf(result)).toEqual(["low_confidence"]);
      expect(sampler).not.toHaveBeenCalled();
    });

    it("never samples at rate 0, without asking", () => {
      const sampler = vi.fn(() => true);
      expect(routeArtifact(clean, { ...policy, auditSampleRate: 0 }, sampler).outcome).toBe("auto_approve");
      expect(sampler).not.toHaveBeenCalled();
    });
  });

  describe("stratifiedSampler", () => {
    it.each([0.05, 0.1, 0.125, 1])("picks exactly the rate %s of a stratum's drafts over any run of 1/rate", (rate) => {
      const picks = Array.from({ length: 400 }, (_, n) => stratifiedSampler("synthesize-requirements:security", n)(rate));
      const total = picks.filter(Boolean).length;
      expect(total).toBe(Math.round(400 * rate));
      const window = Math.round(1 / rate);
      for (let start = 0; start + window <= picks.length; start += window) {
        expect(picks.slice(start, start + window).filter(Boolean)).toHaveLength(1);
      }
    });

    it("picks a small stratum at the rate too, where a coin per draft could miss it entirely", () => {
      const picks = Array.from({ length: 20 }, (_, n) => stratifiedSampler("draft-user-stories:-", n)(0.05));
      expect(picks.filter(Boolean)).toHaveLength(1);
    });

    it("is reproducible per stratum and offset differently across strata", () => {
      const first = (stratum: string) => Array.from({ length: 40 }, (_, n) => stratifiedSampler(stratum, n)(0.05)).indexOf(true);
      expect(first("a:security")).toBe(first("a:security"));
      const offsets = new Set(["a:1", "a:2", "a:3", "a:4", "a:5", "a:6"].map(first));
      expect(offsets.size).toBeGreaterThan(1);
    });
  });

  it("records only the routing fields of a wider policy", () => {
    const stored = { ...policy, modelId: "offline:drafter" };
    expect(routeArtifact(clean, stored, neverSampled).policy).toEqual(policy);
  });

  it.each<[string, RoutingPolicy]>([
    ["a NaN minimum confidence", { ...policy, minConfidence: Number.NaN }],
    ["a minimum confidence above 1", { ...policy, minConfidence: 1.5 }],
    ["a negative cost limit", { ...policy, maxCostUsd: -1 }],
    ["a sample rate above 1", { ...policy, auditSampleRate: 2 }],
    ["a target error rate of 0", { ...policy, targetErrorRate: 0 }],
    ["a confidence level of 1", { ...policy, confidenceLevel: 1 }],
  ])("refuses to route with %s", (_, badPolicy) => {
    expect(() => routeArtifact(clean, badPolicy, neverSampled)).toThrow();
  });

  it("refuses evidence with an impossible confidence, cost or probability", () => {
    expect(() => routeArtifact({ ...clean, confidence: Number.NaN }, policy, neverSampled)).toThrow();
    expect(() => routeArtifact({ ...clean, stepCostUsd: -0.1 }, policy, neverSampled)).toThrow();
    expect(() => routeArtifact({ ...clean, calibration: { ...calibrated, probability: 1.2 } }, policy, neverSampled)).toThrow();
  });

  it("returns results that satisfy the routing result schema", () => {
    const result = routeArtifact({ ...clean, conflicts: ["A vs B"] }, policy, neverSampled);
    expect(routingResultSchema.parse(result)).toEqual(result);
  });

  it("shortens very long quotes in the reason", () => {
    const quote = "word ".repeat(40).trim();
    const [reason] = routeArtifact({ ...clean, ungrounded: [{ quote, sourceId: "s1", problem: "not_found" }] }, policy, neverSampled).reasons;
    expect(reason.detail).toContain(`"${quote.slice(0, 79)}…" (not found in source s1)`);
  });
});

describe("seededRandom", () => {
  it("repeats the same sequence for the same seed", () => {
    const first = seededRandom("run-42:REQ-7");
    const second = seededRandom("run-42:REQ-7");
    const a = Array.from({ length: 20 }, first);
    expect(Array.from({ length: 20 }, second)).toEqual(a);
  });

  it("gives different sequences for different seeds", () => {
    expect(seededRandom("run-42:REQ-7")()).not.toBe(seededRandom("run-42:REQ-8")());
    expect(seededRandom("")()).not.toBe(seededRandom(" ")());
  });

  it("draws numbers in [0, 1)", () => {
    const random = seededRandom("bounds");
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("is roughly uniform along one sequence and across the first draws of similar seeds", () => {
    const bucketCounts = (values: number[]) =>
      values.reduce((counts, value) => {
        counts[Math.floor(value * 10)]++;
        return counts;
      }, new Array<number>(10).fill(0));
    const random = seededRandom("uniformity");
    const alongOneSequence = bucketCounts(Array.from({ length: 20_000 }, random));
    const firstDraws = bucketCounts(Array.from({ length: 20_000 }, (_, i) => seededRandom(`run-1:REQ-${i}`)()));
    for (const counts of [alongOneSequence, firstDraws]) {
      for (const count of counts) {
        expect(count).toBeGreaterThan(1800);
        expect(count).toBeLessThan(2200);
      }
    }
  });
});
