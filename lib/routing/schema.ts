import { z } from "zod";
import { qualityFlagSchema } from "@/lib/requirements/schema";

/** Why a drafted item goes to people, in the order reasons are listed. */
export const routingReasonCodes = [
  "low_confidence",
  "model_unsure",
  "malformed",
  "unfaithful",
  "suspected_injection",
  "quality_flag",
  "wording_note",
  "conflict",
  "high_cost",
  "always_review",
  "ungrounded",
  "contract_violation",
  "provider_error",
  "insufficient_evidence",
  "below_threshold",
  "audit_sample",
  /** Set by review, not routing: an edited version waits for someone other than its editor. */
  "edited",
] as const;
export type RoutingReasonCode = (typeof routingReasonCodes)[number];

/**
 * Reasons that depend on the measured evidence rather than on the draft itself: a draft with
 * only these (or none) is "clean", and clean drafts are what the auto-approval bound is about.
 */
export const evidenceReasonCodes = ["insufficient_evidence", "below_threshold", "audit_sample"] as const satisfies readonly RoutingReasonCode[];

/**
 * Quality-flag codes that advise on wording without saying the draft is wrong: several
 * requirements in one statement, an unclear "it". They do not hold a draft for people on their
 * own; calibration weighs them (a flag reviewers keep editing away lowers the calibrated
 * probability of drafts that carry it), and a reviewer who sees the draft for another reason
 * reads them as a `wording_note`. Other flags (vague or unmeasurable wording, and every flag of
 * the other kinds) hold the draft as `quality_flag`.
 */
export const advisoryFlagCodes = ["compound", "ambiguous_pronoun"] as const;
export const isAdvisoryFlag = (code: string) => (advisoryFlagCodes as readonly string[]).includes(code);

/** Quality-flag codes that are reasons of their own, not lumped under quality_flag. */
export const flagReasonCodes = ["malformed", "unfaithful", "suspected_injection"] as const satisfies readonly RoutingReasonCode[];

export const routingOutcomes = ["auto_approve", "review"] as const;
export type RoutingOutcome = (typeof routingOutcomes)[number];

export const routingReasonSchema = z.object({
  code: z.enum(routingReasonCodes),
  detail: z.string().min(1).describe("a sentence for the reviewer, e.g. 'the calibrated probability 0.81 is below the threshold 0.93'"),
});
export type RoutingReason = z.infer<typeof routingReasonSchema>;

/** The routing part of a step's policy (for one category, overrides applied). */
export const routingPolicySchema = z.object({
  minConfidence: z.number().min(0).max(1),
  maxCostUsd: z.number().min(0),
  auditSampleRate: z.number().min(0).max(1),
  alwaysReview: z.boolean(),
  targetErrorRate: z.number().gt(0).max(1),
  confidenceLevel: z.number().min(0.5).lt(1),
});
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;

/** What calibration says about a draft: its measured probability of being right, and the bar it must clear. */
export const calibrationEvidenceSchema = z.object({
  probability: z.number().min(0).max(1).describe("calibrated probability that people approve the draft unchanged"),
  threshold: z.number().min(0).max(1).nullable().describe("lowest probability auto-approved under the policy's bound; null when the evidence does not yet support any"),
  labels: z.number().int().min(0).describe("labelled drafts the threshold rests on"),
  decisionsNeeded: z.number().int().min(0).nullable().describe("more error-free decisions needed before anything can be auto-approved"),
  category: z
    .string()
    .nullable()
    .optional()
    .describe("the category whose own labels set the threshold, being many enough to be tested alone; null or absent when the step's labels did"),
  version: z.number().int().min(0).describe("calibration model version (0: none fitted yet)"),
});
export type CalibrationEvidence = z.infer<typeof calibrationEvidenceSchema>;

/** What is known about one drafted item when it is routed. */
export const routingEvidenceSchema = z.object({
  confidence: z.number().min(0).max(1).nullable().describe("the drafter's own confidence; null when unknown, e.g. the item broke its contract"),
  unsure: z.string().nullable().describe("why the drafter is unsure, or null"),
  qualityFlags: z.array(qualityFlagSchema.extend({ code: z.string() })).describe("what the kind's checks flagged (lib/kinds): any kind's codes"),
  conflicts: z.array(z.string()).describe("descriptions of the conflicts the item is part of"),
  stepCostUsd: z
    .number()
    .min(0)
    .nullable()
    .describe("cost of the step run that drafted the item; null when its model has no known price"),
  ungrounded: z.array(z.object({ quote: z.string(), sourceId: z.string(), problem: z.string() })),
  contractViolation: z.string().nullable().describe("why the item failed its contract, or null"),
  providerError: z
    .string()
    .nullable()
    .describe("why a stronger model could not re-draft the item when its cascade tier escalated it (every model failed), or null"),
  calibration: calibrationEvidenceSchema,
});
export type RoutingEvidence = z.infer<typeof routingEvidenceSchema>;

export const routingResultSchema = z.object({
  outcome: z.enum(routingOutcomes),
  reasons: z.array(routingReasonSchema).describe("every rule that applied, in the order of routingReasonCodes; empty when auto-approved"),
  policy: routingPolicySchema.describe("the policy values the rules were evaluated with"),
  /** No rule about the draft itself held it (advisory wording notes aside): only the evidence (threshold, audit sample) decided. */
  clean: z.boolean(),
  /** Would have been auto-approved but for the audit sample: the stratum audits sample from. */
  eligible: z.boolean(),
});
export type RoutingResult = z.infer<typeof routingResultSchema>;
