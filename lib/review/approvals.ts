/**
 * The two-person rule: a draft may need approvals from several different reviewers (the
 * policy's requiredApprovals). Pure, so the decision, the undo and the queue judge an item's
 * votes by the same sentences.
 */

/** The live (not undone) votes on an item, and whether the deciding reviewer already approved it. */
export type Tally = { approvals: number; rejections: number; approvedByActor: boolean };

export type VoteStatus = "pending" | "approved" | "rejected" | "needs_adjudication";

/** How long the decider can take their own decision back. */
export const UNDO_WINDOW_MS = 10_000;

/**
 * Where an item stands given its votes: a yes and a no are a disagreement the stage owner
 * settles; one no rejects (the safe side needs no second pair of eyes); enough yeses approve.
 */
export function statusOfVotes(required: number, votes: { approvals: number; rejections: number }): VoteStatus {
  if (votes.approvals > 0 && votes.rejections > 0) return "needs_adjudication";
  if (votes.rejections > 0) return "rejected";
  return votes.approvals >= required ? "approved" : "pending";
}

/** The item's status once the actor's approval or rejection is added to the tally. */
export function statusAfterVote(required: number, tally: Tally, action: "approve" | "reject"): VoteStatus {
  return statusOfVotes(required, {
    approvals: tally.approvals + (action === "approve" ? 1 : 0),
    rejections: tally.rejections + (action === "reject" ? 1 : 0),
  });
}

/** Why the actor may not cast this vote, or null: nobody approves the same item twice. */
export function voteRefusal(required: number, tally: Tally, action: "approve" | "reject" | "edit", ref: string): string | null {
  if (action === "approve" && tally.approvedByActor) {
    return `You already approved ${ref}; approval ${tally.approvals + 1} of ${required} must come from another reviewer (two-person rule).`;
  }
  return null;
}

/** "1 of 2" for the queue and messages. */
export function approvalProgress(approvals: number, required: number): string {
  return `${approvals} of ${required}`;
}

/**
 * Who may take a decision back, and until when: the decider for UNDO_WINDOW_MS after it, the
 * stage owner (a reopen) any time until the stage is signed off. Null when neither applies.
 */
export function undoKind(
  context: { actorId: string; deciderId: string; decidedAt: Date; isOwner: boolean; stageSignedOff: boolean },
  now: Date,
): "undo" | "reopen" | null {
  if (context.stageSignedOff) return null;
  if (context.actorId === context.deciderId && now.getTime() - context.decidedAt.getTime() <= UNDO_WINDOW_MS) return "undo";
  return context.isOwner ? "reopen" : null;
}

/** When the decider's undo window closes. */
export function undoableUntil(decidedAt: Date): Date {
  return new Date(decidedAt.getTime() + UNDO_WINDOW_MS);
}
