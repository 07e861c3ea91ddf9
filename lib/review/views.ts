import type { UserActor } from "@/lib/actors";
import { can } from "@/lib/authz";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import { actingFor, readRoleFacts, roleFactColumns, rolesFromFacts } from "@/lib/access";
import { planNeutral } from "@/lib/sql/statements";

/**
 * Counts for the nav badge and the dashboard, read on every page. One query finds the stages
 * the actor reviews or owns with the facts rolesFor() would collect; the permission table (via
 * can()) decides which of them the actor may decide in, so this never disagrees with
 * decideReviewItem. The count is exact, and reads only the index ReviewItem(stageId, status, ...).
 */
async function stagesToAct(actor: UserActor): Promise<{ decide: string[]; adjudicate: string[] }> {
  // The actor and whoever delegated their stage roles to them (lib/delegations).
  const holders = actingFor(actor.userId, Prisma.sql`s."projectId"`, Prisma.sql`s."id"`);
  const stages = await db().$queryRaw<{ id: string; isMember: number | bigint; isOwner: number | bigint; isReviewer: number | bigint }[]>(Prisma.sql`
    SELECT s."id", ${roleFactColumns(actor.userId, Prisma.sql`s."projectId"`)}
    FROM "Stage" s
    WHERE s."ownerId" IN (${holders}) OR EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" IN (${holders}))`);
  const roles = stages.map((stage) => ({ id: stage.id, roles: rolesFromFacts(actor, readRoleFacts(stage)) }));
  return {
    decide: roles.filter((stage) => can(stage.roles, "review:decide")).map((stage) => stage.id),
    adjudicate: roles.filter((stage) => can(stage.roles, "review:adjudicate")).map((stage) => stage.id),
  };
}

/** Review items waiting for a decision the actor may make: pending drafts, and disagreements the owner settles. */
export async function pendingReviewCount(actor: UserActor): Promise<number> {
  const { decide, adjudicate } = await stagesToAct(actor);
  const waiting = [
    // planNeutral: SQLite's planner reads the values of an IN list, and would compile the statement again on every call.
    ...(decide.length ? [Prisma.sql`("stageId" IN (${Prisma.join(decide.map(planNeutral))}) AND "status" = 'pending')`] : []),
    ...(adjudicate.length ? [Prisma.sql`("stageId" IN (${Prisma.join(adjudicate.map(planNeutral))}) AND "status" = 'needs_adjudication')`] : []),
  ];
  if (waiting.length === 0) return 0;
  const [row] = await db().$queryRaw<{ pending: number | bigint }[]>(Prisma.sql`SELECT COUNT(*) AS "pending" FROM "ReviewItem" WHERE ${Prisma.join(waiting, " OR ")}`);
  return Number(row.pending);
}
