import { z } from "zod";
import { modelIdSchemaMessage, parseModelId } from "@/lib/models/registry";

/**
 * A step's policy: which model drafts, and how its drafts are routed. Fractions (0..1) are
 * stored and sent over the API; forms show them as percentages. A value that is missing, empty
 * or out of range is refused with a message naming it, never saved as 0.
 */
/** The two-person rule: approvals from different reviewers a reviewed draft needs. */
const requiredApprovals = z
  .number({ error: "requiredApprovals must be a whole number from 1 to 5" })
  .int("requiredApprovals must be a whole number from 1 to 5")
  .min(1, "requiredApprovals must be at least 1")
  .max(5, "requiredApprovals must be at most 5");

const fraction = (what: string) =>
  z.number({ error: `${what} must be a number between 0 and 1` }).min(0, `${what} must be at least 0`).max(1, `${what} must be at most 1`);

export const modelIdSchema = z
  .string({ error: "the model id must be text" })
  .trim()
  .min(1, "choose a model")
  .refine((id) => parseModelId(id) !== null, { message: modelIdSchemaMessage });

/** Values a category may override for its own drafts, e.g. a stricter target for security requirements. */
export const categoryOverrideSchema = z
  .object({
    minConfidence: fraction("minConfidence"),
    targetErrorRate: fraction("targetErrorRate").refine((v) => v > 0, "targetErrorRate must be above 0"),
    confidenceLevel: fraction("confidenceLevel").refine((v) => v >= 0.5 && v < 1, "confidenceLevel must be at least 0.5 and below 1"),
    auditSampleRate: fraction("auditSampleRate"),
    alwaysReview: z.boolean({ error: "alwaysReview must be true or false" }),
    requiredApprovals,
  })
  .partial()
  .strict();
export type CategoryOverride = z.infer<typeof categoryOverrideSchema>;

/**
 * When a cascade tier's draft goes on to the next, stronger tier instead of to people. Any rule
 * that holds escalates; a tier with no rule set escalates nothing.
 */
export const escalationSchema = z
  .object({
    /** the draft's calibrated probability of being approved unchanged is below this */
    belowCalibrated: fraction("belowCalibrated"),
    /** the model's own (raw) confidence is below this */
    belowConfidence: fraction("belowConfidence"),
    /** the model said it is unsure */
    unsure: z.boolean({ error: "unsure must be true or false" }),
    /** the output broke its contract even after repair */
    contractViolation: z.boolean({ error: "contractViolation must be true or false" }),
  })
  .partial()
  .strict();
export type Escalation = z.infer<typeof escalationSchema>;

/** One tier of a cascade: a model, and when its drafts escalate to the next tier. The last tier's escalation is ignored. */
export const cascadeTierSchema = z.object({ modelId: modelIdSchema, escalateWhen: escalationSchema.default({}) }).strict();
export type CascadeTier = z.infer<typeof cascadeTierSchema>;

export const policyValuesSchema = z
  .object({
    modelId: modelIdSchema,
    /** Models tried in order when the model (or a cascade tier's model) keeps failing with provider errors. */
    fallbackModelIds: z.array(modelIdSchema).max(5, "use at most 5 fallback models"),
    /** Tiers from cheap to strong; when set they replace modelId for drafting (an empty list means no cascade). */
    cascade: z.array(cascadeTierSchema).max(4, "use at most 4 cascade tiers"),
    /** Most input tokens one call may send; larger inputs are cut to the passages most relevant to the step. Null means no limit. */
    maxInputTokens: z.number({ error: "maxInputTokens must be a whole number" }).int("maxInputTokens must be a whole number").min(500, "maxInputTokens must be at least 500").nullable(),
    /** Floor on the drafter's own (raw) confidence: below it a draft always goes to people. */
    minConfidence: fraction("minConfidence"),
    /** Maximum share of wrong drafts among auto-approved ones the admin accepts. */
    targetErrorRate: fraction("targetErrorRate").refine((v) => v > 0, "targetErrorRate must be above 0"),
    /** How sure the bound on that error rate must be. */
    confidenceLevel: fraction("confidenceLevel").refine((v) => v >= 0.5 && v < 1, "confidenceLevel must be at least 0.5 and below 1"),
    /** Share of would-be-auto-approved drafts sent to people anyway, as unbiased labels. */
    auditSampleRate: fraction("auditSampleRate"),
    /** Most one call of the step may cost: a call estimated above it is not made. */
    maxCostUsd: z.number({ error: "maxCostUsd must be a number" }).min(0, "maxCostUsd cannot be negative").max(1000, "maxCostUsd must be at most 1000"),
    alwaysReview: z.boolean({ error: "alwaysReview must be true or false" }),
    /** Approvals from different reviewers each reviewed draft needs (e.g. 2 for security requirements via a category). */
    requiredApprovals,
    categories: z.record(z.string(), categoryOverrideSchema),
  })
  .strict();
export type PolicyValues = z.infer<typeof policyValuesSchema>;

/** A partial update: fields not sent keep their values. `categories` replaces the overrides of the categories it names; null removes one. */
export const policyUpdateSchema = z
  .object({
    modelId: modelIdSchema,
    fallbackModelIds: policyValuesSchema.shape.fallbackModelIds,
    cascade: policyValuesSchema.shape.cascade,
    maxInputTokens: policyValuesSchema.shape.maxInputTokens,
    minConfidence: policyValuesSchema.shape.minConfidence,
    targetErrorRate: policyValuesSchema.shape.targetErrorRate,
    confidenceLevel: policyValuesSchema.shape.confidenceLevel,
    auditSampleRate: policyValuesSchema.shape.auditSampleRate,
    maxCostUsd: policyValuesSchema.shape.maxCostUsd,
    alwaysReview: policyValuesSchema.shape.alwaysReview,
    requiredApprovals: policyValuesSchema.shape.requiredApprovals,
    categories: z.record(z.string(), categoryOverrideSchema.nullable()),
    reason: z.string().trim().max(500, "use at most 500 characters for the reason"),
  })
  .partial()
  .strict()
  .refine((update) => Object.keys(update).some((key) => key !== "reason"), { message: "send at least one policy field to change" });
export type PolicyUpdate = z.infer<typeof policyUpdateSchema>;

/** The policy that applies to drafts of one category: the step's values with that category's overrides. */
export type EffectivePolicy = Omit<PolicyValues, "categories">;

export function effectivePolicy(values: PolicyValues, category: string | null): EffectivePolicy {
  const { categories, ...base } = values;
  return { ...base, ...(category ? categories[category] : undefined) };
}

/** Applies a partial update to the current values; the caller validates the result. */
export function applyPolicyUpdate(current: PolicyValues, update: PolicyUpdate): PolicyValues {
  const { reason: _reason, categories, ...fields } = update;
  const merged: PolicyValues = { ...current, ...fields, categories: { ...current.categories } };
  for (const [category, override] of Object.entries(categories ?? {})) {
    if (override === null || Object.keys(override).length === 0) delete merged.categories[category];
    else merged.categories[category] = override;
  }
  return merged;
}
