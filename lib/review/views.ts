import type { UserActor } from "@/lib/actors";
import { can } from "@/lib/authz";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import { readRoleFacts, rolesFromFacts } from "@/lib/access";

/**
 * Counts for the nav badge and the dashboard, read on every page. One query finds the stages
 * the actor reviews or owns with the facts rolesFor() would collect; the permission table (via
 * can()) decides which of them the actor may decide in, so this never disagrees with
 * decideReviewItem. The count is exact, and reads only the index ReviewItem(stageId, status, ...).
 */
async function decidableStageIds(actor: UserActor): Promise<string[]> {
  const stages = await db().$queryRaw<{ id: string; isMember: number | bigint; isOwner: number | bigint; isReviewer: number | bigint }[]>(Prisma.sql`
    SELECT s."id",
      CASE WHEN EXISTS (SELECT 1 FROM "ProjectMember" pm WHERE pm."projectId" = s."projectId" AND pm."userId" = ${actor.userId}) THEN 1 ELSE 0 END AS "isMember",
      CASE WHEN s."ownerId" = ${actor.userId} THEN 1 ELSE 0 END AS "isOwner",
      CASE WHEN EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" = ${actor.userId}) THEN 1 ELSE 0 END AS "isReviewer"
    FROM "Stage" s
    WHERE s."ownerId" = ${actor.userId} OR EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" = ${actor.userId})`);
  return stages
    .filter((stage) =>
      can(rolesFromFacts(actor, readRoleFacts(stage)), "review:decide"),
    )
    .map((stage) => stage.id);
}

/** Review items waiting for a decision the actor may make. */
export async function pendingReviewCount(actor: UserActor): Promise<number> {
  const stageIds = await decidableStageIds(actor);
  if (stageIds.length === 0) return 0;
  const [row] = await db().$queryRaw<{ pending: number | bigint }[]>(
    Prisma.sql`SELECT COUNT(*) AS "pending" FROM "ReviewItem" WHERE "stageId" IN (${Prisma.join(stageIds)}) AND "status" = 'pending'`,
  );
  return Number(row.pending);
}
