import type { QualityFlag } from "@/lib/requirements/schema";
import {
  evidenceReasonCodes,
  flagReasonCodes,
  isAdvisoryFlag,
  routingEvidenceSchema,
  routingPolicySchema,
  routingReasonCodes,
  type RoutingEvidence,
  type RoutingPolicy,
  type RoutingReason,
  type RoutingReasonCode,
  type RoutingResult,
} from "./schema";

export { routingReasonCodes };
export type { RoutingEvidence, RoutingPolicy, RoutingReason, RoutingReasonCode, RoutingResult };

/**
 * Routing decides, per drafted item, whether it is auto-approved or goes to people, and records
 * every reason that applies so a reviewer sees all of them at once. It is a pure function: the
 * only chance involved is the audit sample, drawn by the injected sampler.
 *
 * A draft is auto-approved only when no rule about the draft applies and its calibrated
 * probability clears the threshold that the labelled evidence supports (lib/calibration).
 */
export function routeArtifact(evidence: RoutingEvidence, policy: RoutingPolicy, drawAuditSample: (rate: number) => boolean): RoutingResult {
  // Parsed so that NaN or an out-of-range threshold can never wave an item through; this also
  // keeps only the routing fields of a wider policy object in the recorded result.
  const checkedPolicy = routingPolicySchema.parse(policy);
  const checkedEvidence = routingEvidenceSchema.parse(evidence);

  // Reasons about the evidence (not enough labels, below the threshold) only explain why a draft
  // that nothing else held back was not auto-approved; beside a broken draft they are noise.
  // Wording notes hold nothing: calibration has weighed them; they are there for whoever reads the draft.
  const holds = (code: RoutingReasonCode) => !isEvidenceReason(code) && code !== "wording_note";
  const draftReasons = reviewReasons(checkedEvidence, checkedPolicy, holds);
  const clean = draftReasons.length === 0;
  const notes = reviewReasons(checkedEvidence, checkedPolicy, (code) => code === "wording_note");
  const reasons = clean ? reviewReasons(checkedEvidence, checkedPolicy, isEvidenceReason) : draftReasons;
  if (reasons.length > 0) return { outcome: "review", reasons: inReasonOrder([...reasons, ...notes]), policy: checkedPolicy, clean, eligible: false };

  // The sampler is asked exactly once, and only for a draft that would be auto-approved, so
  // replaying a run with the same sampler samples the same items.
  if (checkedPolicy.auditSampleRate > 0 && drawAuditSample(checkedPolicy.auditSampleRate)) {
    const detail =
      `would have been auto-approved (calibrated probability ${formatScore(checkedEvidence.calibration.probability)}), ` +
      `but was picked at random for an audit: ${formatPercent(checkedPolicy.auditSampleRate)} of such drafts go to people, so the error rate of auto-approval stays measured`;
    return { outcome: "review", reasons: inReasonOrder([...notes, { code: "audit_sample", detail }]), policy: checkedPolicy, clean: true, eligible: true };
  }
  return { outcome: "auto_approve", reasons: [], policy: checkedPolicy, clean: true, eligible: true };
}

/**
 * Systematic sampling within a stratum (a step and category): of every 1/rate would-be-auto-
 * approved drafts, exactly one is picked, at an offset drawn once per stratum. Unlike a coin per
 * draft, this keeps every stratum audited at the rate, however small it is.
 */
export function stratifiedSampler(stratum: string, eligibleSoFar: number): (rate: number) => boolean {
  const offset = seededRandom(`audit:${stratum}`)();
  return (rate) => Math.floor((eligibleSoFar + 1) * rate + offset) > Math.floor(eligibleSoFar * rate + offset);
}

/**
 * A small deterministic generator (mulberry32 seeded with a 32-bit FNV-1a hash of the seed), so a
 * run's audit sampling can be reproduced from, e.g., `${runId}:${ref}`. Not for anything secret.
 */
export function seededRandom(seed: string): () => number {
  let state = fnv1a(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** "legal " when a category's own labels set the threshold (lib/calibration/threshold.ts withinCategory), else "". */
const ofCategory = (calibration: RoutingEvidence["calibration"]) => (calibration.category ? `${calibration.category.replace(/_/g, " ")} ` : "");

/** Each rule returns the reason's detail when it applies, null when it does not. */
type ReviewRule = (evidence: RoutingEvidence, policy: RoutingPolicy) => string | null;

const reviewRules: Record<Exclude<RoutingReasonCode, "audit_sample" | "edited">, ReviewRule> = {
  low_confidence: ({ confidence }, { minConfidence }) => {
    if (confidence === null) return `the drafter's confidence is unknown, so it cannot meet the policy minimum ${formatScore(minConfidence)}`;
    return confidence < minConfidence ? `the drafter's confidence ${formatScore(confidence)} is below the policy minimum ${formatScore(minConfidence)}` : null;
  },
  model_unsure: ({ unsure }) => (unsure === null ? null : `the model said it is unsure: "${unsure}"`),
  malformed: flagRule("malformed"),
  unfaithful: flagRule("unfaithful"),
  suspected_injection: flagRule("suspected_injection"),
  quality_flag: ({ qualityFlags }) => {
    const others = qualityFlags.filter((flag) => !(flagReasonCodes as readonly string[]).includes(flag.code) && !isAdvisoryFlag(flag.code));
    return others.length === 0 ? null : `the quality check flagged ${others.map(describeFlag).join(", ")}`;
  },
  wording_note: ({ qualityFlags }) => {
    const advice = qualityFlags.filter((flag) => isAdvisoryFlag(flag.code));
    return advice.length === 0 ? null : `the wording could be clearer: ${advice.map(describeFlag).join(", ")} (on its own this would not send a draft to people)`;
  },
  conflict: ({ conflicts }) => {
    if (conflicts.length === 0) return null;
    return `${conflicts.length === 1 ? "part of a conflict" : `part of ${conflicts.length} conflicts`}: ${conflicts.join("; ")}`;
  },
  high_cost: ({ stepCostUsd }, { maxCostUsd }) => {
    // An unpriced model could cost anything: its drafts cannot be shown to be within budget.
    if (stepCostUsd === null) return "the drafting model has no known price, so its cost cannot be checked against the budget";
    return stepCostUsd > maxCostUsd ? `the drafting step cost ${formatUsd(stepCostUsd)}, above the policy maximum ${formatUsd(maxCostUsd)}` : null;
  },
  always_review: (_, { alwaysReview }) => (alwaysReview ? "the policy sends every item of this step to review" : null),
  ungrounded: ({ ungrounded }) =>
    ungrounded.length === 0 ? null : `not grounded in its sources: ${ungrounded.map(describeUngrounded).join("; ")}`,
  contract_violation: ({ contractViolation }) =>
    contractViolation === null ? null : `the draft broke its output contract: ${contractViolation}`,
  provider_error: ({ providerError }) =>
    providerError === null ? null : `the draft was uncertain enough to go to a stronger model, but ${providerError}`,
  insufficient_evidence: ({ calibration }, { targetErrorRate, confidenceLevel }) => {
    if (calibration.threshold !== null) return null;
    const needed = calibration.decisionsNeeded === null ? "many more decisions" : `${calibration.decisionsNeeded} more error-free decision${calibration.decisionsNeeded === 1 ? "" : "s"}`;
    return (
      `${calibration.labels} labelled draft${calibration.labels === 1 ? " does" : "s do"} not yet show, with ${formatPercent(confidenceLevel)} confidence, ` +
      `an error rate within ${formatPercent(targetErrorRate)} for any auto-approved ${ofCategory(calibration)}drafts of this step; about ${needed} are needed`
    );
  },
  below_threshold: ({ calibration }) =>
    calibration.threshold !== null && calibration.probability < calibration.threshold
      ? `the calibrated probability ${formatScore(calibration.probability)} is below the threshold ${formatScore(calibration.threshold)} that ${calibration.labels} labelled ${ofCategory(calibration)}drafts support`
      : null,
};

function flagRule(code: (typeof flagReasonCodes)[number]): ReviewRule {
  return ({ qualityFlags }) => {
    const found = qualityFlags.filter((flag) => flag.code === code);
    return found.length === 0 ? null : found.map((flag) => `${flag.message}${flag.words.length ? ` (${flag.words.map((word) => `"${word}"`).join(", ")})` : ""}`).join("; ");
  };
}

const isEvidenceReason = (code: RoutingReasonCode) => (evidenceReasonCodes as readonly string[]).includes(code);

const inReasonOrder = (reasons: RoutingReason[]) => [...reasons].sort((a, b) => routingReasonCodes.indexOf(a.code) - routingReasonCodes.indexOf(b.code));

function reviewReasons(evidence: RoutingEvidence, policy: RoutingPolicy, include: (code: RoutingReasonCode) => boolean): RoutingReason[] {
  return routingReasonCodes.flatMap((code): RoutingReason[] => {
    if (code === "audit_sample" || code === "edited" || !include(code)) return [];
    const detail = reviewRules[code](evidence, policy);
    return detail === null ? [] : [{ code, detail }];
  });
}

function describeFlag({ code, words }: Pick<QualityFlag, "words"> & { code: string }): string {
  return words.length === 0 ? code : `${code} (${words.map((word) => `"${word}"`).join(", ")})`;
}

function describeUngrounded({ quote, sourceId, problem }: RoutingEvidence["ungrounded"][number]): string {
  const why =
    problem === "not_found" ? `not found in source ${sourceId}` : problem === "unknown_source" ? `source ${sourceId} does not exist` : problem;
  const shown = quote.length > 80 ? `${quote.slice(0, 79)}…` : quote;
  return `"${shown}" (${why})`;
}

/** At least 2 decimals, more only when needed: 0.7 -> "0.70", 0.695 -> "0.695", 0.000185 -> "0.000185". */
function formatDecimal(value: number, maxDecimals: number): string {
  const [whole, fraction = ""] = value.toFixed(maxDecimals).split(".");
  return `${whole}.${fraction.replace(/0+$/, "").padEnd(2, "0")}`;
}

const formatScore = (value: number) => formatDecimal(value, 6);
const formatUsd = (value: number) => `$${formatDecimal(value, 9)}`;
const formatPercent = (rate: number) => `${Number((rate * 100).toFixed(4))}%`;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
