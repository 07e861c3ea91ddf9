import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";

export const artifactKinds = ["requirement", "user_story"] as const;
export const artifactStatuses = ["auto_approved", "pending_review", "approved", "rejected", "superseded"] as const;

export const artifactQuerySchema = z.object({
  stage: stageKeySchema.optional(),
  kind: z.enum(artifactKinds).optional(),
  status: z.enum(artifactStatuses).optional(),
});
export type ArtifactQuery = z.infer<typeof artifactQuerySchema>;
