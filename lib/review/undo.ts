import type { UserActor } from "@/lib/actors";
import { rolesFromFacts } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { assertRoles, can } from "@/lib/authz";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { propagateChange } from "@/lib/artifacts/propagation";
import { transact } from "@/lib/transaction";
import { statusOfVotes, undoKind, UNDO_WINDOW_MS } from "./approvals";
import { afterUndoFacts, itemScope, markLatestUndone, retractLabel, setArtifactStatus, setItemStatus, withdrawEditedVersion } from "./decision-store";

export type UndoResult = {
  id: string;
  /** undo: the decider within UNDO_WINDOW_MS; reopen: the stage owner, until sign-off. */
  kind: "undo" | "reopen";
  status: "pending" | "needs_adjudication";
  undoneDecisionId: string;
  artifactId: string | null;
  version: number;
};

/**
 * Takes back the item's latest decision: the decider within ten seconds, the stage owner (a
 * reopen) any time until the stage is signed off. The decision stays on record, marked undone;
 * the item waits again, the artifact is back at the decided version (an edit's new version and
 * its review item are withdrawn), and the label a final decision taught calibration is retracted.
 * The decision may have let the run go on: a run not yet picked up waits for review again, and
 * work already drafted from a taken-back approval is marked stale (as when the artifact is revised).
 */
export async function undoDecision(actor: UserActor, itemId: string): Promise<UndoResult> {
  return transact(async (tx) => {
    const now = new Date();
    const undone = await markLatestUndone(tx, itemId, actor.userId, now);
    const item = await itemScope(tx, itemId, actor.userId);
    if (!item) throw notFound("The review item");
    const roles = rolesFromFacts(actor, item.facts);
    assertRoles(roles, "review:work");
    if (!undone) throw conflict(`${item.ref} has no decision to take back.`, { reason: "nothing_to_undo" });
    const signedOff = item.stageStatus === "signed_off";
    const kind = undoKind({ actorId: actor.userId, deciderId: undone.decidedById, decidedAt: undone.createdAt, isOwner: can(roles, "review:adjudicate"), stageSignedOff: signedOff }, now);
    if (!kind) {
      if (signedOff) throw conflict(`The stage of ${item.ref} is signed off, so its decisions can no longer be taken back; the owner can revise the artifact instead.`, { reason: "signed_off" });
      if (undone.decidedById === actor.userId) {
        throw conflict(`The ${UNDO_WINDOW_MS / 1000} seconds to undo your decision on ${item.ref} have passed; the stage owner can still reopen it.`, { reason: "undo_window_passed" });
      }
      throw forbidden(`Only the person who decided ${item.ref} (within ${UNDO_WINDOW_MS / 1000} seconds) or the stage owner can take the decision back.`);
    }
    if (item.kind === "conflict") throw conflict(`${item.ref} is a resolved conflict; a resolution cannot be taken back. Decide its sides instead.`, { reason: "conflict" });
    if (item.status === "cancelled") throw conflict(`${item.ref} was withdrawn by a newer run; there is nothing to reopen.`, { reason: "withdrawn" });

    const facts = await afterUndoFacts(tx, item, undone.newVersion);
    if (undone.action === "edit") {
      const editItem = facts.editItem;
      if (!editItem || editItem.status !== "pending" || editItem.decisions > 0 || facts.currentVersion !== undone.newVersion) {
        throw conflict(`Version ${undone.newVersion} of ${item.ref}, written by this edit, has been decided since; take that decision back first.`, { reason: "decided_since" });
      }
      await withdrawEditedVersion(tx, item.artifactId!, undone.newVersion!, editItem.id);
    } else if (item.status === "decided" && (facts.currentVersion !== item.version || (facts.artifactStatus !== "approved" && facts.artifactStatus !== "rejected"))) {
      throw conflict(`${item.ref} has changed since this decision (it is now version ${facts.currentVersion}, ${facts.artifactStatus}); reopen its latest review instead.`, {
        reason: "changed_since",
      });
    }
    const status = statusOfVotes(item.requiredApprovals, facts) === "needs_adjudication" ? "needs_adjudication" : "pending";
    await setItemStatus(tx, item.id, status);
    const wasFinal = item.status === "decided";
    if (item.artifactId) await setArtifactStatus(tx, item.artifactId, { status: "pending_review", currentVersion: item.version, now });
    const labelRetracted = wasFinal && item.artifactId !== null && item.version === 1 ? (await retractLabel(tx, item.artifactId)) > 0 : false;
    const runPaused = item.runId !== null && (await tx.run.updateMany({ where: { id: item.runId, status: "queued" }, data: { status: "waiting_review" } })).count === 1;
    const staleRefs =
      wasFinal && facts.artifactStatus === "approved" && item.artifactId
        ? (await propagateChange(tx, { projectId: item.projectId, changedIds: [item.artifactId], reason: `its approval was taken back (${kind})`, actor })).stale.map((artifact) => artifact.ref)
        : [];
    await recordAudit(tx, {
      actor,
      action: kind === "undo" ? "review.undone" : "review.reopened",
      subjectType: "artifact",
      subjectId: item.artifactId ?? item.id,
      projectId: item.projectId,
      before: { ref: item.ref, itemStatus: item.status, artifactStatus: facts.artifactStatus, version: facts.currentVersion, decision: { id: undone.id, action: undone.action, by: undone.decidedById } },
      after: { ref: item.ref, itemStatus: status, artifactStatus: "pending_review", version: item.version, labelRetracted, runPaused, stale: staleRefs },
    });
    return { id: item.id, kind, status, undoneDecisionId: undone.id, artifactId: item.artifactId, version: item.version };
  });
}
