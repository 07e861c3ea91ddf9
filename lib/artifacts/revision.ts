import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict, invalid, notFound } from "@/lib/errors";
import { validContent } from "@/lib/kinds/registry";
import { measureEdit } from "@/lib/learning/edits";
import { transact } from "@/lib/transaction";
import { propagateChange, reopenStage } from "./propagation";
import { revisionSchema } from "./schema";

/**
 * The stage owner revises approved work: a new version that goes back to review (someone else
 * approves it), everything derived from it turns stale, and the signed-off stages holding it or
 * its descendants reopen. All in one transaction with its audit events.
 */
export async function reviseArtifact(actor: UserActor, artifactId: string, input: z.input<typeof revisionSchema>) {
  const revision = revisionSchema.parse(input);
  const artifact = await db().artifact.findUnique({ where: { id: artifactId }, include: { stage: true, versions: true } });
  if (!artifact) throw notFound("The artifact");
  await assertCan(actor, "stages:signOff", { projectId: artifact.projectId, stage: artifact.stage.key });
  if (artifact.status !== "approved" && artifact.status !== "auto_approved") {
    throw conflict(`${artifact.ref} is ${artifact.status.replace("_", " ")}: only approved work is revised; decide drafts in the review queue.`);
  }
  const current = artifact.versions.find((version) => version.version === artifact.currentVersion)!;
  const content = validContent(artifact.kind, { ...(current.content as Record<string, unknown>), ...revision.content }, "revised");
  if (measureEdit(current.content as Record<string, unknown>, content).changedFields.length === 0) throw invalid(`The revision changes nothing in ${artifact.ref}.`);
  const version = artifact.currentVersion + 1;

  return transact(async (tx) => {
    // Guarded on the version read above: of two revisions at once, the second finds it moved.
    const { count } = await tx.artifact.updateMany({ where: { id: artifact.id, currentVersion: artifact.currentVersion }, data: { currentVersion: version, status: "pending_review", stale: false, staleReason: null } });
    if (count !== 1) throw conflict(`${artifact.ref} changed meanwhile; reload it and revise the current version.`);
    await tx.artifactVersion.create({ data: { artifactId: artifact.id, version, content: content as Prisma.InputJsonValue, editedById: actor.userId } });
    await tx.reviewItem.create({
      data: {
        projectId: artifact.projectId,
        stageId: artifact.stageId,
        runId: artifact.runId,
        artifactId: artifact.id,
        version,
        reasons: [{ code: "edited", detail: `${actor.name} revised approved work (${revision.comment}); someone else must approve the new version` }],
      },
    });
    await recordAudit(tx, {
      actor,
      action: "artifact.revised",
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: artifact.projectId,
      before: { version: artifact.currentVersion, status: artifact.status },
      after: { version, status: "pending_review" },
      reason: revision.comment,
    });
    const reason = `${artifact.ref} was revised: ${revision.comment}`;
    if (artifact.stage.status === "signed_off") await reopenStage(tx, { projectId: artifact.projectId, stageId: artifact.stageId, stage: artifact.stage, actor, reason });
    const propagated = await propagateChange(tx, { projectId: artifact.projectId, changedIds: [artifact.id], reason: revision.comment, actor });
    const reopenedStages = [...new Set([...(artifact.stage.status === "signed_off" ? [artifact.stage.key] : []), ...propagated.reopenedStages])];
    return { id: artifact.id, ref: artifact.ref, version, status: "pending_review" as const, stale: propagated.stale, reopenedStages };
  });
}
