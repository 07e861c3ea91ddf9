import { z } from "zod";
import { modelIdSchemaMessage, parseModelId } from "@/lib/models/registry";

export const policyValuesSchema = z.object({
  modelId: z
    .string()
    .trim()
    .refine((id) => parseModelId(id) !== null, { message: modelIdSchemaMessage }),
  minConfidence: z.coerce.number().min(0, "between 0 and 1").max(1, "between 0 and 1"),
  maxCostUsd: z.coerce.number().min(0, "cannot be negative").max(1000, "at most 1000"),
  auditSampleRate: z.coerce.number().min(0, "between 0 and 1").max(1, "between 0 and 1"),
  alwaysReview: z.coerce.boolean(),
});
export type PolicyValues = z.infer<typeof policyValuesSchema>;
