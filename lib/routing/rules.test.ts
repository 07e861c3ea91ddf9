import { describe, expect, it, vi } from "vitest";
import { describeReason, routeArtifact, routingReasonCodes, seededRandom, type RoutingEvidence, type RoutingPolicy } from "./rules";
import { routingResultSchema } from "./schema";

const policy: RoutingPolicy = { minConfidence: 0.7, maxCostUsd: 0.5, auditSampleRate: 0.05, alwaysReview: false };

const clean: RoutingEvidence = {
  confidence: 0.9,
  unsure: null,
  qualityFlags: [],
  conflicts: [],
  stepCostUsd: 0.01,
  ungrounded: [],
  contractViolation: null,
};

const neverSampled = () => 0.99;
const codesOf = (result: { reasons: { code: string }[] }) => result.reasons.map((reason) => reason.code);

describe("routeArtifact", () => {
  it("auto-approves a clean item with no reasons and records the policy", () => {
    expect(routeArtifact(clean, policy, neverSampled)).toEqual({ outcome: "auto_approve", reasons: [], policy });
  });

  it.each<[string, Partial<RoutingEvidence>, Partial<RoutingPolicy>, string]>([
    ["low_confidence", { confidence: 0.42 }, {}, "confidence 0.42 is below the policy minimum 0.70"],
    ["low_confidence", { confidence: null }, {}, "confidence is unknown, so it cannot meet the policy minimum 0.70"],
    ["model_unsure", { unsure: "the interview and the e-mail disagree" }, {}, 'the model said it is unsure: "the interview and the e-mail disagree"'],
    [
      "quality_flag",
      { qualityFlags: [{ code: "vague_wording", words: ["fast", "user-friendly"], message: "..." }, { code: "unmeasurable", words: [], message: "..." }] },
      {},
      'the quality check flagged vague_wording ("fast", "user-friendly"), unmeasurable',
    ],
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
    [
      "ungrounded",
      { ungrounded: [{ quote: "REQ-9", sourceId: "REQ-9", problem: "refers to REQ-9, which is not an approved requirement" }] },
      {},
      'not grounded in its sources: "REQ-9" (refers to REQ-9, which is not an approved requirement)',
    ],
    ["contract_violation", { contractViolation: "category: invalid option" }, {}, "the draft broke its output contract: category: invalid option"],
  ])("sends an item to review for %s alone", (code, evidence, policyChange, detail) => {
    const random = vi.fn(neverSampled);
    const result = routeArtifact({ ...clean, ...evidence }, { ...policy, ...policyChange }, random);
    expect(result.outcome).toBe("review");
    expect(result.reasons).toEqual([{ code, detail }]);
    expect(random).not.toHaveBeenCalled();
  });

  it("lists every reason that applies, in the order of the reason codes", () => {
    const result = routeArtifact(
      {
        confidence: null,
        unsure: "hedged wording",
        qualityFlags: [{ code: "compound", words: ["and"], message: "..." }],
        conflicts: ["R1 vs R2"],
        stepCostUsd: 2,
        ungrounded: [{ quote: "x", sourceId: "s1", problem: "not_found" }],
        contractViolation: "statement: too short",
      },
      { ...policy, alwaysReview: true, auditSampleRate: 1 },
      neverSampled,
    );
    expect(result.outcome).toBe("review");
    expect(codesOf(result)).toEqual(routingReasonCodes.filter((code) => code !== "audit_sample"));
  });

  it("treats confidence equal to the minimum as enough, and cost equal to the maximum as affordable", () => {
    const result = routeArtifact({ ...clean, confidence: 0.7, stepCostUsd: 0.5 }, policy, neverSampled);
    expect(result).toEqual({ outcome: "auto_approve", reasons: [], policy });
  });

  it("shows extra decimals only when they matter", () => {
    const result = routeArtifact({ ...clean, confidence: 0.695 }, policy, neverSampled);
    expect(result.reasons[0].detail).toBe("confidence 0.695 is below the policy minimum 0.70");
  });

  describe("audit sampling", () => {
    it("samples a clean item when random() falls below the rate", () => {
      const random = vi.fn(() => 0.01);
      expect(routeArtifact(clean, policy, random)).toEqual({
        outcome: "review",
        reasons: [{ code: "audit_sample", detail: "randomly sampled for audit at rate 5%" }],
        policy,
      });
      expect(random).toHaveBeenCalledTimes(1);
    });

    it("does not sample when random() is at or above the rate", () => {
      const random = vi.fn(() => 0.99);
      expect(routeArtifact(clean, policy, random).outcome).toBe("auto_approve");
      expect(routeArtifact(clean, policy, () => 0.05).outcome).toBe("auto_approve");
      expect(random).toHaveBeenCalledTimes(1);
    });

    it("never draws for an item that goes to review anyway, so sampling never adds a reason", () => {
      const random = vi.fn(() => 0);
      const result = routeArtifact({ ...clean, confidence: 0.1 }, { ...policy, auditSampleRate: 1 }, random);
      expect(codesOf(result)).toEqual(["low_confidence"]);
      expect(random).not.toHaveBeenCalled();
    });

    it("never samples at rate 0, without drawing", () => {
      const random = vi.fn(() => 0);
      expect(routeArtifact(clean, { ...policy, auditSampleRate: 0 }, random).outcome).toBe("auto_approve");
      expect(random).not.toHaveBeenCalled();
    });

    it("always samples at rate 1", () => {
      const result = routeArtifact(clean, { ...policy, auditSampleRate: 1 }, () => 0.999999);
      expect(result.reasons).toEqual([{ code: "audit_sample", detail: "randomly sampled for audit at rate 100%" }]);
    });

    it("states fractional rates plainly", () => {
      const result = routeArtifact(clean, { ...policy, auditSampleRate: 0.125 }, () => 0.1);
      expect(result.reasons[0].detail).toBe("randomly sampled for audit at rate 12.5%");
    });

    it("samples close to the rate with a seeded generator per item, as runs do", () => {
      const sampled = Array.from({ length: 4000 }, (_, i) => routeArtifact(clean, policy, seededRandom(`run-1:REQ-${i + 1}`))).filter(
        (result) => result.outcome === "review",
      ).length;
      expect(sampled / 4000).toBeGreaterThan(0.04);
      expect(sampled / 4000).toBeLessThan(0.06);
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
  ])("refuses to route with %s", (_, badPolicy) => {
    expect(() => routeArtifact(clean, badPolicy, neverSampled)).toThrow();
  });

  it("refuses evidence with an impossible confidence or cost", () => {
    expect(() => routeArtifact({ ...clean, confidence: Number.NaN }, policy, neverSampled)).toThrow();
    expect(() => routeArtifact({ ...clean, stepCostUsd: -0.1 }, policy, neverSampled)).toThrow();
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

describe("describeReason", () => {
  it("has a short label for every reason code", () => {
    expect(describeReason("low_confidence")).toBe("Low confidence");
    expect(describeReason("model_unsure")).toBe("Model unsure");
    expect(describeReason("audit_sample")).toBe("Audit sample");
    const labels = routingReasonCodes.map(describeReason);
    expect(new Set(labels).size).toBe(routingReasonCodes.length);
    for (const label of labels) expect(label).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
  });
});
