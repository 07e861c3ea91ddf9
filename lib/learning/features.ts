import { z } from "zod";
import type { RoutingEvidence } from "@/lib/routing/schema";

/**
 * What calibration learns from, per drafted item: the evidence at routing time, recorded with
 * the routing decision and copied into the label when people decide. Kept small and stable so
 * that labels from older runs still fit new calibration models.
 */
export const draftFeaturesSchema = z.object({
  rawConfidence: z.number().min(0).max(1).nullable(),
  category: z.string().nullable(),
  /** Codes of the evidence present: quality flags, "conflict", "ungrounded", "model_unsure", ... */
  flags: z.array(z.string()),
  modelId: z.string().nullable(),
  sourceKind: z.string().nullable(),
  /** The learned category classifier's probability that the category is right; absent from labels recorded before it existed. */
  categoryOpinion: z.number().min(0).max(1).nullish(),
});
export type DraftFeatures = z.infer<typeof draftFeaturesSchema>;

type FeatureContext = { category: string | null; modelId: string | null; sourceKind: string | null; categoryOpinion?: number | null };

/** The features of a draft, from the evidence its routing rules read. */
export function featuresOf(evidence: Omit<RoutingEvidence, "calibration">, context: FeatureContext): DraftFeatures {
  const flags = [
    ...evidence.qualityFlags.map((flag) => flag.code),
    ...(evidence.conflicts.length > 0 ? ["conflict"] : []),
    ...(evidence.ungrounded.length > 0 ? ["ungrounded"] : []),
    ...(evidence.unsure !== null ? ["model_unsure"] : []),
    ...(evidence.contractViolation !== null ? ["contract_violation"] : []),
  ];
  return { rawConfidence: evidence.confidence, flags: [...new Set(flags)].sort(), ...context, categoryOpinion: context.categoryOpinion ?? null };
}
