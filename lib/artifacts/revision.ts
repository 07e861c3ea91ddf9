import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict, invalid, notFound } from "@/lib/errors";
import { kindDefinition, validContent } from "@/lib/kinds/registry";
import { measureEdit } from "@/lib/learning/edits";
import { activeRunStatuses } from "@/lib/pipeline/service";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { propagateChange, reopenStage } from "./propagation";
import { lockedChanges } from "./revisable";
import { revisionSchema } from "./schema";

/**
 * The stage owner revises approved work: a new version that goes back to review (someone else
 * approves it), everything derived from it turns stale, and the signed-off stages holding it or
 * its descendants reopen, their owners told. All in one transaction with its audit events.
 *
 * Refused with 409 when the work is not approved (drafts are decided in the review queue), when
 * a run of its stage is active (the run would replace it), or when nobody but the owner reviews
 * the stage (the new version could never be approved).
 */
export async function reviseArtifact(actor: UserActor, artifactId: string, input: z.input<typeof revisionSchema>) {
  const revision = revisionSchema.parse(input);
  const artifact = await db().artifact.findUnique({
    where: { id: artifactId },
    include: { stage: { include: { reviewers: { select: { userId: true } } } }, versions: true },
  });
  if (!artifact) throw notFound("The artifact");
  const stage = { key: artifact.stage.key, ownerId: artifact.stage.ownerId };
  await assertCan(actor, "artifacts:revise", { projectId: artifact.projectId, stage: stage.key });
  await assertRevisable(actor, artifact);

  const current = artifact.versions.find((version) => version.version === artifact.currentVersion)!;
  const before = current.content as Record<string, unknown>;
  const locked = lockedChanges(kindDefinition(artifact.kind).fields, before, revision.content);
  if (locked.length > 0) throw invalid(`The revision changes what ${artifact.ref} keeps as drafted: ${locked.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, locked);
  const content = validContent(artifact.kind, { ...before, ...revision.content }, "revised");
  const edit = measureEdit(before, content);
  if (edit.changedFields.length === 0) throw invalid(`The revision changes nothing in ${artifact.ref}.`);
  const version = artifact.currentVersion + 1;

  return transact(async (tx) => {
    // Guarded on the version and status read above: of two revisions at once, the second finds them moved.
    const { count } = await tx.artifact.updateMany({
      where: { id: artifact.id, currentVersion: artifact.currentVersion, status: artifact.status },
      data: { currentVersion: version, status: "pending_review", stale: false, staleReason: null },
    });
    if (count !== 1) throw conflict(`${artifact.ref} changed meanwhile; reload it and revise the current version.`);
    await tx.artifactVersion.create({ data: { artifactId: artifact.id, version, content: content as Prisma.InputJsonValue, editedById: actor.userId } });
    const item = await tx.reviewItem.create({
      data: {
        projectId: artifact.projectId,
        stageId: artifact.stageId,
        runId: artifact.runId,
        artifactId: artifact.id,
        version,
        reasons: [{ code: "edited", detail: `${actor.name} revised approved work (${edit.changedFields.join(", ")}): ${revision.comment}. Someone else must approve the new version.` }],
      },
    });
    const reason = `${artifact.ref} was revised: ${revision.comment}`;
    const reopenedOwn = artifact.stage.status === "signed_off";
    if (reopenedOwn) await reopenStage(tx, { projectId: artifact.projectId, stageId: artifact.stageId, stage, actor, reason });
    const propagated = await propagateChange(tx, { projectId: artifact.projectId, changedIds: [artifact.id], reason: revision.comment, actor });
    const reopenedStages = [...new Set([...(reopenedOwn ? [stage.key] : []), ...propagated.reopenedStages])];
    await recordAudit(tx, {
      actor,
      action: "artifact.revised",
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: artifact.projectId,
      before: { ref: artifact.ref, version: artifact.currentVersion, status: artifact.status, content: before },
      after: { ref: artifact.ref, version, status: "pending_review", content, changedFields: edit.changedFields, stale: propagated.stale.map((s) => s.ref), reopenedStages },
      reason: revision.comment,
    });
    return { id: artifact.id, ref: artifact.ref, version, status: "pending_review" as const, reviewItemId: item.id, stale: propagated.stale, reopenedStages };
  });
}

type RevisionTarget = {
  ref: string;
  status: string;
  stageId: string;
  stage: { key: StageKey; reviewers: { userId: string }[] };
};

/** The 409s of a revision: whether the work can go back to review now. Asked by the page before it offers the form, too. */
export async function revisionBlocker(actorId: string, artifact: RevisionTarget): Promise<string | null> {
  if (artifact.status !== "approved" && artifact.status !== "auto_approved") {
    return `${artifact.ref} is ${artifact.status.replace("_", " ")}: only approved work is revised; drafts are decided in the review queue.`;
  }
  const active = await db().run.findFirst({ where: { stageId: artifact.stageId, status: { in: [...activeRunStatuses] } }, select: { status: true } });
  if (active) return `A run of the ${stageLabels[artifact.stage.key]} stage is ${active.status.replace("_", " ")}; it replaces this stage's drafts. Revise once it has finished.`;
  if (!artifact.stage.reviewers.some((reviewer) => reviewer.userId !== actorId)) {
    return `The ${stageLabels[artifact.stage.key]} stage has no reviewer besides you, and nobody approves their own revision. Name a reviewer first.`;
  }
  return null;
}

async function assertRevisable(actor: UserActor, artifact: RevisionTarget) {
  const blocker = await revisionBlocker(actor.userId, artifact);
  if (blocker) throw conflict(blocker);
}
