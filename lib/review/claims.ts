import type { UserActor } from "@/lib/actors";
import { rolesFromFacts } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { assertRoles, can } from "@/lib/authz";
import type { Tx } from "@/lib/db";
import { conflict, forbidden, invalid, notFound } from "@/lib/errors";
import { selectRow, sql } from "@/lib/sql/statements";
import { transact } from "@/lib/transaction";
import { assignClaim, endClaim, itemScope, renewClaim, takeClaim, type ItemScope } from "./decision-store";
import { decisionRefusal } from "./duties";
import { claimSchema, type ClaimInput } from "./schema";

/**
 * Claims: a reviewer working on an item holds it for a lease (renewed while its card is open);
 * while the claim is live nobody else can decide it, and the queue passes it over for them.
 * Taking a claim is one conditional UPDATE, so racing reviewers never both hold an item.
 */
export const CLAIM_LEASE_MS = 10 * 60_000;

export type ClaimResult = { id: string; claimedBy: { email: string; name: string }; expiresAt: string };

/** Claims the item for the actor (or renews their claim), or, for the stage owner, hands it to a reviewer named by email. */
export async function claimReviewItem(actor: UserActor, itemId: string, input: ClaimInput = {}): Promise<ClaimResult> {
  const { assignTo } = claimSchema.parse(input);
  return transact(async (tx) => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + CLAIM_LEASE_MS);
    if (assignTo) return assign(tx, actor, itemId, assignTo, expiresAt);
    // Writes first (see decideReviewItem): a new claim is audited; a renewal by the holder is not
    // news. Opening a card takes a claim far more often than a card renews one, so that goes first.
    const taken = (await takeClaim(tx, itemId, actor.userId, now, expiresAt)) === 1;
    const renewed = !taken && (await renewClaim(tx, itemId, actor.userId, now, expiresAt)) === 1;
    const item = await itemScope(tx, itemId, actor.userId);
    if (!item) throw notFound("The review item");
    assertRoles(rolesFromFacts(actor, item.facts), "review:decide");
    const refusal = decisionRefusal({ actorId: actor.userId, runStartedById: item.runStartedById, versionEditedById: null, action: "reject", ref: item.ref });
    if (refusal) throw forbidden(refusal);
    if (!renewed && !taken) throw unclaimable(item, now);
    if (taken) {
      await recordAudit(tx, {
        actor,
        action: "review.claimed",
        subjectType: "review_item",
        subjectId: item.id,
        projectId: item.projectId,
        after: { ref: item.ref, claimedBy: actor.email, expiresAt: expiresAt.toISOString() },
      });
    }
    return { id: item.id, claimedBy: { email: actor.email, name: actor.name }, expiresAt: expiresAt.toISOString() };
  });
}

/** Why the item cannot be claimed now: decided, withdrawn, disputed, or someone else holds it. */
function unclaimable(item: ItemScope, now: Date) {
  if (item.status !== "pending") {
    const state = item.status === "needs_adjudication" ? "waiting for the stage owner's adjudication" : item.status === "cancelled" ? "withdrawn by a newer run" : "already decided";
    return conflict(`${item.ref} is ${state}; there is nothing to claim.`, { reason: item.status === "needs_adjudication" ? "needs_adjudication" : "already_decided", status: item.status });
  }
  const holder = item.claim && item.claim.expiresAt >= now ? item.claim : null;
  if (!holder) return conflict(`${item.ref} changed hands while you claimed it; try again.`, { reason: "claimed" });
  return conflict(`${holder.name} (${holder.email}) is working on ${item.ref} until ${holder.expiresAt.toISOString()}.`, {
    reason: "claimed",
    claimedBy: { email: holder.email, name: holder.name },
    expiresAt: holder.expiresAt.toISOString(),
  });
}

/** Reads before it writes, unlike a claim: the audit names whose claim the owner took over, and owners reassign rarely. */
async function assign(tx: Tx, actor: UserActor, itemId: string, email: string, expiresAt: Date): Promise<ClaimResult> {
  const item = await itemScope(tx, itemId, actor.userId);
  if (!item) throw notFound("The review item");
  const assignee = await selectRow<{ id: string; email: string; name: string }>(tx, sql`SELECT "id", "email", "name" FROM "User" WHERE "email" = ${email} AND "deactivatedAt" IS NULL`);
  const assigned = assignee ? (await assignClaim(tx, itemId, assignee.id, expiresAt)) === 1 : false;
  assertRoles(rolesFromFacts(actor, item.facts), "review:adjudicate");
  if (!assignee) throw invalid(`Nobody with the email ${email} can be given ${item.ref}.`, [{ path: "assignTo", message: "no active user has this email" }]);
  const theirs = await itemScope(tx, itemId, assignee.id);
  const assigneeActor = { type: "user" as const, userId: assignee.id, email: assignee.email, name: assignee.name, role: "member" as const, tokenId: null };
  if (!theirs || !can(rolesFromFacts(assigneeActor, theirs.facts), "review:decide")) {
    throw invalid(`${assignee.name} (${assignee.email}) is not a reviewer of this stage, so they cannot take ${item.ref}.`, [{ path: "assignTo", message: "not a reviewer of the item's stage" }]);
  }
  if (item.runStartedById === assignee.id) {
    throw invalid(`${assignee.name} started the run that drafted ${item.ref}, so they cannot decide it (separation of duties).`, [{ path: "assignTo", message: "separation of duties" }]);
  }
  if (!assigned) throw unclaimable(item, new Date());
  await recordAudit(tx, {
    actor,
    action: "review.claim_assigned",
    subjectType: "review_item",
    subjectId: item.id,
    projectId: item.projectId,
    before: item.claim ? { claimedBy: item.claim.email } : null,
    after: { ref: item.ref, claimedBy: assignee.email, expiresAt: expiresAt.toISOString() },
  });
  return { id: item.id, claimedBy: { email: assignee.email, name: assignee.name }, expiresAt: expiresAt.toISOString() };
}

/** Ends the claim: its holder, or the stage owner, may release it. Releasing an item nobody holds changes nothing. */
export async function releaseReviewItem(actor: UserActor, itemId: string): Promise<{ id: string; released: boolean }> {
  return transact(async (tx) => {
    const item = await itemScope(tx, itemId, actor.userId);
    if (!item) throw notFound("The review item");
    const roles = rolesFromFacts(actor, item.facts);
    assertRoles(roles, "review:work");
    const now = new Date();
    const holder = item.claim && item.claim.expiresAt >= now ? item.claim : null;
    if (!holder) return { id: item.id, released: false };
    if (holder.userId !== actor.userId && !can(roles, "review:adjudicate")) {
      throw forbidden(`${holder.name} (${holder.email}) holds ${item.ref}; only they or the stage owner can release it.`);
    }
    const released = (await endClaim(tx, item.id, holder.userId)) === 1;
    if (released) {
      await recordAudit(tx, {
        actor,
        action: "review.claim_released",
        subjectType: "review_item",
        subjectId: item.id,
        projectId: item.projectId,
        before: { ref: item.ref, claimedBy: holder.email },
        after: { ref: item.ref, claimedBy: null },
      });
    }
    return { id: item.id, released };
  });
}
