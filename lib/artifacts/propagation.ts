import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { Actor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import type { Tx } from "@/lib/db";
import { emitEvent } from "@/lib/events/emit";
import { notify } from "@/lib/notifications/notify";
import { stageKeys, stageLabels } from "@/lib/stages/stages";
import { staleDescendants } from "./traceability";

/**
 * A change upstream reaches everything built on it: every artifact derived from the changed ones,
 * directly or transitively, is marked stale with the reason; each signed-off stage that holds
 * stale work reopens, its sign-off kept on record as superseded (not deleted), and its owner is
 * told what changed; the owner of an open stage holding stale work is told too (unless they made
 * the change). Runs in the caller's transaction, with the change itself.
 */
export async function propagateChange(tx: Tx, change: { projectId: string; changedIds: readonly string[]; reason: string; actor: Actor }) {
  const links = await tx.artifactLink.findMany({ where: { artifact: { projectId: change.projectId } }, select: { artifactId: true, parentId: true } });
  const descendants = staleDescendants(links, change.changedIds);
  if (descendants.length === 0) return { stale: [], reopenedStages: [] };

  const artifacts = await tx.artifact.findMany({
    where: { id: { in: [...descendants.map((d) => d.id), ...change.changedIds] } },
    select: { id: true, ref: true, status: true, stageId: true, stage: { select: { key: true, status: true, ownerId: true } } },
  });
  const byId = new Map(artifacts.map((artifact) => [artifact.id, artifact]));
  // Drafts already replaced or rejected carry no work forward.
  const affected = descendants.filter((d) => {
    const status = byId.get(d.id)?.status;
    return status !== undefined && status !== "superseded" && status !== "rejected";
  });
  for (const descendant of affected) {
    const refs = descendant.changedAncestors.map((id) => byId.get(id)?.ref ?? id).join(", ");
    await tx.artifact.update({ where: { id: descendant.id }, data: { stale: true, staleReason: `${refs} changed: ${change.reason}` } });
    const artifact = byId.get(descendant.id)!;
    await emitEvent(tx, "artifact.stale", {
      artifactId: artifact.id,
      ref: artifact.ref,
      projectId: change.projectId,
      stageId: artifact.stageId,
      stage: artifact.stage.key,
      changedArtifactIds: descendant.changedAncestors,
      changedRefs: descendant.changedAncestors.map((id) => byId.get(id)?.ref ?? id),
    });
  }

  const holding = affected.map((d) => byId.get(d.id)!).sort((a, b) => stageKeys.indexOf(a.stage.key) - stageKeys.indexOf(b.stage.key));
  const stages = new Map(holding.map((artifact) => [artifact.stageId, artifact.stage]));
  const reopenedStages: StageKey[] = [];
  for (const [stageId, stage] of stages) {
    const refs = affected.filter((d) => byId.get(d.id)!.stageId === stageId).map((d) => byId.get(d.id)!.ref);
    await recordAudit(tx, {
      actor: change.actor,
      action: "artifacts.stale",
      subjectType: "stage",
      subjectId: stageId,
      projectId: change.projectId,
      after: { refs },
      reason: change.reason,
    });
    if (stage.status === "signed_off") {
      await reopenStage(tx, { projectId: change.projectId, stageId, stage, actor: change.actor, reason: `${refs.join(", ")} rest on work that changed: ${change.reason}` });
      reopenedStages.push(stage.key);
    } else if (stage.ownerId && !(change.actor.type !== "system" && change.actor.userId === stage.ownerId)) {
      // An open stage does not reopen, but its owner still answers for work that now rests on something else.
      await notify(tx, {
        userIds: [stage.ownerId],
        projectId: change.projectId,
        kind: "artifacts.stale",
        message: `${refs.join(", ")} in ${stageLabels[stage.key]} rest on work that changed: ${change.reason}. Review them before signing the stage off.`,
        link: `/projects/${change.projectId}/stages/${stage.key}`,
      });
    }
  }
  return { stale: affected.map((d) => ({ id: d.id, ref: byId.get(d.id)!.ref })), reopenedStages };
}

/** A signed-off stage whose work changed opens again: its sign-offs stay on record, superseded, and its owner is told why. */
export async function reopenStage(tx: Tx, input: { projectId: string; stageId: string; stage: { key: StageKey; ownerId: string | null }; actor: Actor; reason: string }) {
  const { projectId, stageId, stage, reason } = input;
  await tx.signOff.updateMany({ where: { stageId, supersededAt: null }, data: { supersededAt: new Date(), supersededReason: reason } });
  await tx.stage.update({ where: { id: stageId }, data: { status: "open" } });
  await recordAudit(tx, { actor: input.actor, action: "stage.reopened", subjectType: "stage", subjectId: stageId, projectId, after: { stage: stage.key, status: "open" }, reason });
  if (!stage.ownerId) return;
  await notify(tx, {
    userIds: [stage.ownerId],
    projectId,
    kind: "stage.reopened",
    message: `${stageLabels[stage.key]} reopened: ${reason}. Review the changed work and sign the stage off again.`,
    link: `/projects/${projectId}/stages/${stage.key}`,
  });
}
