import { z } from "zod";
import { artifactKinds } from "@/lib/kinds/registry";
import { stageKeySchema } from "@/lib/stages/schema";

export { artifactKinds };
export const artifactStatuses = ["auto_approved", "pending_review", "approved", "rejected", "superseded"] as const;

export const artifactQuerySchema = z.object({
  stage: stageKeySchema.optional(),
  kind: z.enum(artifactKinds).optional(),
  status: z.enum(artifactStatuses).optional(),
});
export type ArtifactQuery = z.infer<typeof artifactQuerySchema>;

/** A stage owner's revision of approved work: the new content (merged over the current one) and why. */
export const revisionSchema = z.object({
  content: z.record(z.string(), z.unknown()),
  comment: z.string().trim().min(1, "say what changed and why: the owners of the work built on it are told").max(2000),
});
export type RevisionInput = z.infer<typeof revisionSchema>;
