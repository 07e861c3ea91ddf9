import type { Prisma } from "@/lib/generated/sqlite/client";
import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import type { Tx } from "@/lib/db";
import type { RoutingResult } from "@/lib/routing/rules";

export type ArtifactKind = "requirement" | "user_story";

export const refPrefix: Record<ArtifactKind, string> = { requirement: "REQ", user_story: "US" };

/** Refs count up per project and kind and are never reused (REQ-1, REQ-2, ... US-1, ...). */
export async function nextRefNumber(tx: Tx, projectId: string, kind: ArtifactKind): Promise<number> {
  return (await tx.artifact.count({ where: { projectId, kind } })) + 1;
}

export type RoutedDraft = {
  projectId: string;
  stageId: string;
  runId: string;
  draftStepRunId: string;
  kind: ArtifactKind;
  ref: string;
  content: Prisma.InputJsonValue;
  confidence: number | null;
  model: string | null;
  routing: RoutingResult;
};

/** Stores a drafted item as version 1 with its routing decision, queueing it for review when routed so. */
export async function writeRoutedArtifact(tx: Tx, draft: RoutedDraft) {
  const needsReview = draft.routing.outcome === "review";
  const reasons = draft.routing.reasons as unknown as Prisma.InputJsonValue;
  const artifact = await tx.artifact.create({
    data: {
      projectId: draft.projectId,
      stageId: draft.stageId,
      runId: draft.runId,
      stepRunId: draft.draftStepRunId,
      kind: draft.kind,
      ref: draft.ref,
      status: needsReview ? "pending_review" : "auto_approved",
      versions: {
        create: { version: 1, content: draft.content, confidence: draft.confidence, stepRunId: draft.draftStepRunId, model: draft.model },
      },
      routings: {
        create: {
          version: 1,
          outcome: draft.routing.outcome,
          reasons,
          policy: draft.routing.policy as unknown as Prisma.InputJsonValue,
        },
      },
    },
  });
  if (needsReview) {
    await tx.reviewItem.create({
      data: { projectId: draft.projectId, stageId: draft.stageId, artifactId: artifact.id, version: 1, reasons },
    });
  }
  await recordAudit(tx, {
    actor: systemActor("router"),
    action: needsReview ? "artifact.sent_to_review" : "artifact.auto_approved",
    subjectType: "artifact",
    subjectId: artifact.id,
    projectId: draft.projectId,
    after: { ref: draft.ref, kind: draft.kind, version: 1, outcome: draft.routing.outcome, reasons: draft.routing.reasons.map((r) => r.code) },
    reason: draft.routing.reasons.map((r) => r.detail).join("; ") || "no routing rule applied",
  });
  return artifact;
}

/** A new run of a stage replaces the drafts of earlier runs; their open review items close. */
export async function supersedeEarlierDrafts(tx: Tx, stageId: string, runId: string, kind: ArtifactKind): Promise<number> {
  const stale = await tx.artifact.findMany({
    where: { stageId, kind, runId: { not: runId }, status: { not: "superseded" } },
    select: { id: true, ref: true, projectId: true },
  });
  if (stale.length === 0) return 0;
  const ids = stale.map((a) => a.id);
  const { count: cancelled } = await tx.reviewItem.updateMany({
    where: { artifactId: { in: ids }, status: "pending" },
    data: { status: "cancelled" },
  });
  await tx.artifact.updateMany({ where: { id: { in: ids } }, data: { status: "superseded" } });
  await recordAudit(tx, {
    actor: systemActor("router"),
    action: "artifacts.superseded",
    subjectType: "stage",
    subjectId: stageId,
    projectId: stale[0].projectId,
    after: { kind, refs: stale.map((a) => a.ref), cancelledReviewItems: cancelled },
    reason: `run ${runId} drafted this stage again`,
  });
  return ids.length;
}
