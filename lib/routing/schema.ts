import { z } from "zod";
import { qualityFlagSchema } from "@/lib/requirements/schema";

/** Why a drafted item goes to people, in the order reasons are listed. */
export const routingReasonCodes = [
  "low_confidence",
  "model_unsure",
  "quality_flag",
  "conflict",
  "high_cost",
  "always_review",
  "ungrounded",
  "contract_violation",
  "audit_sample",
] as const;
export type RoutingReasonCode = (typeof routingReasonCodes)[number];

export const routingOutcomes = ["auto_approve", "review"] as const;
export type RoutingOutcome = (typeof routingOutcomes)[number];

export const routingReasonSchema = z.object({
  code: z.enum(routingReasonCodes),
  detail: z.string().min(1).describe("a sentence for the reviewer, e.g. 'confidence 0.42 is below the policy minimum 0.70'"),
});
export type RoutingReason = z.infer<typeof routingReasonSchema>;

/** The routing part of a step's policy. */
export const routingPolicySchema = z.object({
  minConfidence: z.number().min(0).max(1),
  maxCostUsd: z.number().min(0),
  auditSampleRate: z.number().min(0).max(1),
  alwaysReview: z.boolean(),
});
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;

/** What is known about one drafted item when it is routed. */
export const routingEvidenceSchema = z.object({
  confidence: z.number().min(0).max(1).nullable().describe("null when unknown, e.g. the item broke its contract"),
  unsure: z.string().nullable().describe("why the drafter is unsure, or null"),
  qualityFlags: z.array(qualityFlagSchema),
  conflicts: z.array(z.string()).describe("descriptions of the conflicts the item is part of"),
  stepCostUsd: z
    .number()
    .min(0)
    .nullable()
    .describe("cost of the step run that drafted the item; null when its model has no known price"),
  ungrounded: z.array(z.object({ quote: z.string(), sourceId: z.string(), problem: z.string() })),
  contractViolation: z.string().nullable().describe("why the item failed its contract, or null"),
});
export type RoutingEvidence = z.infer<typeof routingEvidenceSchema>;

export const routingResultSchema = z.object({
  outcome: z.enum(routingOutcomes),
  reasons: z.array(routingReasonSchema).describe("every rule that applied, in the order of routingReasonCodes; empty when auto-approved"),
  policy: routingPolicySchema.describe("the policy values the rules were evaluated with"),
});
export type RoutingResult = z.infer<typeof routingResultSchema>;
