import type { Prisma } from "@/lib/generated/sqlite/client";
import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import type { Tx } from "@/lib/db";
import { emitEvent } from "@/lib/events/emit";
import type { DraftFeatures } from "@/lib/learning/features";
import { requiredApprovalsFor } from "@/lib/policies/required-approvals";
import type { RoutingResult } from "@/lib/routing/rules";
import type { CalibrationEvidence } from "@/lib/routing/schema";
import type { ArtifactKind } from "@/lib/kinds/registry";
import { approvalChance } from "@/lib/review/queue-filter";
import { planRedraft, redraftLineage, redraftState } from "./redraft";

/** Refs count up per project and kind and are never reused (REQ-1, REQ-2, ... US-1, ...). */
export async function nextRefNumber(tx: Tx, projectId: string, kind: ArtifactKind): Promise<number> {
  return (await tx.artifact.count({ where: { projectId, kind } })) + 1;
}

/** One side of a conflict: a draft, or a passage of a source that contradicts one without being drafted. */
export type ConflictSide =
  | { artifactId: string; ref: string; sourceId: string; quote: string; statement: string }
  | { artifactId: null; ref: null; sourceId: string; quote: string; statement: null };

/**
 * Opens a conflict between drafts as one item for people: every side with its source passage.
 * Until it is resolved, none of its sides can be approved and the stage cannot be signed off.
 */
export async function writeConflict(
  tx: Tx,
  conflict: { projectId: string; stageId: string; runId: string; description: string; sides: ConflictSide[] },
) {
  const number = (await tx.conflict.count({ where: { projectId: conflict.projectId } })) + 1;
  const ref = `CONF-${number}`;
  const created = await tx.conflict.create({
    data: { projectId: conflict.projectId, stageId: conflict.stageId, runId: conflict.runId, ref, description: conflict.description, sides: conflict.sides },
  });
  const drafted = conflict.sides.flatMap((side) => (side.ref ? [side.ref] : []));
  const passages = conflict.sides.length - drafted.length;
  const parties = [...drafted, ...(passages > 0 ? [`${passages === 1 ? "a passage" : `${passages} passages`} of the sources`] : [])];
  const reasons = [{ code: "conflict", detail: `${parties.join(" and ")} contradict each other: ${conflict.description}` }];
  const item = await tx.reviewItem.create({
    data: { kind: "conflict", projectId: conflict.projectId, stageId: conflict.stageId, runId: conflict.runId, conflictId: created.id, version: 1, reasons },
  });
  await emitEvent(tx, "review_item.routed", {
    reviewItemId: item.id,
    kind: "conflict",
    projectId: conflict.projectId,
    stageId: conflict.stageId,
    runId: conflict.runId,
    conflictId: created.id,
    ref,
    sides: drafted,
    reasons: ["conflict"],
  });
  await recordAudit(tx, {
    actor: systemActor("router"),
    action: "conflict.opened",
    subjectType: "conflict",
    subjectId: created.id,
    projectId: conflict.projectId,
    after: { ref, sides: conflict.sides.map((side) => side.ref ?? `"${side.quote}"`), description: conflict.description },
    reason: "the drafts contradict each other; people must decide which to keep",
  });
  return created;
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
  /** the cascade tier that drafted it (0 = first); null when the step has no cascade */
  tier?: number | null;
  /** ids of the upstream artifacts it was drafted from */
  derivedFrom: readonly string[];
  routing: RoutingResult;
  /** What the routing rested on: the step and category whose policy and calibration applied. */
  basis: { stepKey: string; category: string | null; features: DraftFeatures; calibration: CalibrationEvidence; policyVersion: number };
};

export type WrittenArtifact = Awaited<ReturnType<Tx["artifact"]["create"]>>;

/** Stores a drafted item as version 1 with its routing decision and its links to its parents, queueing it for review when routed so. */
export async function writeRoutedArtifact(tx: Tx, draft: RoutedDraft): Promise<WrittenArtifact> {
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
        create: { version: 1, content: draft.content, confidence: draft.confidence, stepRunId: draft.draftStepRunId, model: draft.model, tier: draft.tier ?? null },
      },
      derivedFrom: { create: [...new Set(draft.derivedFrom)].map((parentId) => ({ parentId })) },
      routings: {
        create: {
          version: 1,
          outcome: draft.routing.outcome,
          reasons,
          policy: draft.routing.policy as unknown as Prisma.InputJsonValue,
          stepKey: draft.basis.stepKey,
          category: draft.basis.category,
          features: draft.basis.features as unknown as Prisma.InputJsonValue,
          calibratedProbability: draft.basis.calibration.probability,
          threshold: draft.basis.calibration.threshold,
          calibrationVersion: draft.basis.calibration.version,
          policyVersion: draft.basis.policyVersion,
          eligible: draft.routing.eligible,
        },
      },
    },
  });
  if (needsReview) {
    const item = await tx.reviewItem.create({
      data: {
        projectId: draft.projectId,
        stageId: draft.stageId,
        runId: draft.runId,
        artifactId: artifact.id,
        version: 1,
        reasons,
        requiredApprovals: await requiredApprovalsFor(tx, draft.basis),
        approvalChance: approvalChance(draft.basis.calibration.probability, draft.confidence),
      },
    });
    await emitDraftRouted(tx, { reviewItemId: item.id, projectId: draft.projectId, stageId: draft.stageId, runId: draft.runId, artifactId: artifact.id, ref: draft.ref, kind: draft.kind, version: 1, reasons: draft.routing.reasons });
  }
  await recordAudit(tx, {
    actor: systemActor("router"),
    action: needsReview ? "artifact.sent_to_review" : "artifact.auto_approved",
    subjectType: "artifact",
    subjectId: artifact.id,
    projectId: draft.projectId,
    after: {
      ref: draft.ref,
      kind: draft.kind,
      version: 1,
      outcome: draft.routing.outcome,
      reasons: draft.routing.reasons.map((r) => r.code),
      calibratedProbability: draft.basis.calibration.probability,
      threshold: draft.basis.calibration.threshold,
      calibrationVersion: draft.basis.calibration.version,
      policyVersion: draft.basis.policyVersion,
    },
    reason: draft.routing.reasons.map((r) => r.detail).join("; ") || "no routing rule applied",
  });
  return artifact;
}

/**
 * A new run of a stage replaces the drafts of earlier runs; their open review items close. A
 * re-draft run (the stage holds stale work, lib/artifacts/redraft.ts) replaces only the stale
 * drafts it could re-draft, leaving fresh work as it is, and records for each what it was
 * re-drafted from: that record is how its new drafts name the stale artifact they replace.
 */
export async function supersedeEarlierDrafts(tx: Tx, stageId: string, runId: string, kind: ArtifactKind): Promise<number> {
  const { projectId } = await tx.stage.findUniqueOrThrow({ where: { id: stageId }, select: { projectId: true } });
  const lineage = await redraftLineage(tx, { projectId, stageId, runId });
  if (lineage) {
    const replaced = planRedraft(stageId, lineage, runId).filter((item) => item.kind === kind && redraftState(item) !== "waiting");
    if (replaced.length === 0) return 0;
    const cancelled = await withdraw(tx, replaced.map((item) => item.id));
    await recordAudit(tx, {
      actor: systemActor("router"),
      action: "artifacts.superseded",
      subjectType: "stage",
      subjectId: stageId,
      projectId,
      after: { kind, runId, refs: replaced.map((item) => item.ref), replaced: replaced.map(({ id, ref, from }) => ({ id, ref, from })), cancelledReviewItems: cancelled },
      reason: `run ${runId} re-drafted stale work from the current versions of what it was drafted from`,
    });
    return replaced.length;
  }
  const stale = await tx.artifact.findMany({
    where: { stageId, kind, runId: { not: runId }, status: { not: "superseded" } },
    select: { id: true, ref: true },
  });
  if (stale.length === 0) return 0;
  const cancelled = await withdraw(tx, stale.map((a) => a.id));
  const staleConflicts = await tx.conflict.findMany({ where: { stageId, runId: { not: runId }, status: "open" }, select: { id: true } });
  if (staleConflicts.length > 0) {
    const conflictIds = staleConflicts.map((c) => c.id);
    await tx.conflict.updateMany({ where: { id: { in: conflictIds } }, data: { status: "superseded" } });
    await tx.reviewItem.updateMany({ where: { conflictId: { in: conflictIds }, status: "pending" }, data: { status: "cancelled" } });
  }
  await recordAudit(tx, {
    actor: systemActor("router"),
    action: "artifacts.superseded",
    subjectType: "stage",
    subjectId: stageId,
    projectId,
    after: { kind, runId, refs: stale.map((a) => a.ref), cancelledReviewItems: cancelled },
    reason: `run ${runId} drafted this stage again`,
  });
  return stale.length;
}

/** Supersedes the drafts and closes their open review items; returns how many items closed. */
async function withdraw(tx: Tx, ids: string[]): Promise<number> {
  const { count } = await tx.reviewItem.updateMany({ where: { artifactId: { in: ids }, status: "pending" }, data: { status: "cancelled" } });
  await tx.artifact.updateMany({ where: { id: { in: ids } }, data: { status: "superseded" } });
  return count;
}

/** Webhooks hear of a draft version sent to people, whoever wrote it (routing, a re-draft, a split). */
export async function emitDraftRouted(
  tx: Tx,
  routed: { reviewItemId: string; projectId: string; stageId: string; runId: string; artifactId: string; ref: string; kind: string; version: number; reasons: readonly { code: string }[] },
): Promise<void> {
  await emitEvent(tx, "review_item.routed", {
    reviewItemId: routed.reviewItemId,
    kind: "draft",
    projectId: routed.projectId,
    stageId: routed.stageId,
    runId: routed.runId,
    artifactId: routed.artifactId,
    ref: routed.ref,
    artifactKind: routed.kind,
    version: routed.version,
    reasons: routed.reasons.map((reason) => reason.code),
  });
}
