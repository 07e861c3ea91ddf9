"use server";

import { z } from "zod";
import { onArtifact } from "@/lib/api/authorization";
import { action } from "@/lib/actions";
import { reviseArtifact } from "@/lib/artifacts/revision";
import { revisionSchema } from "@/lib/artifacts/schema";

/** The stage owner revises approved work from its page: the same grant and service as POST /api/v1/artifacts/{id}/revisions. */
export const reviseArtifactAction = action(
  revisionSchema.extend({ artifactId: z.string().min(1, "the artifact is missing") }),
  ({ artifactId }) => onArtifact("artifacts:revise")({ params: { id: artifactId }, body: undefined }),
  (actor, { artifactId, ...revision }) => reviseArtifact(actor, artifactId, revision),
);
