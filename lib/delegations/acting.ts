import { planNeutral, sql, type Sql } from "@/lib/sql/statements";

/**
 * Whom a decision on a review item was made for, as a scalar subquery for the INSERT of the
 * decision (lib/review/decision-store.ts): null when the decider holds a role in the item's
 * stage themselves, else the person whose role they hold through a live delegation covering
 * the stage (a reviewer's before an owner's). Kept apart from service.ts so the decision path
 * imports nothing else. The item's id is bound through planNeutral, or SQLite compiles the
 * decision's INSERT again on every call.
 */
export function onBehalfOfSql(deciderId: string, reviewItemId: string, at: Date): Sql {
  const holds = (userId: Sql) =>
    sql`(s."ownerId" = ${userId} OR EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" = ${userId}))`;
  return sql`(SELECT dg."fromUserId" FROM "Delegation" dg
    JOIN "ReviewItem" dri ON dri."id" = ${planNeutral(reviewItemId)}
    JOIN "Stage" s ON s."id" = dri."stageId"
    WHERE dg."toUserId" = ${deciderId} AND dg."revokedAt" IS NULL AND dg."startsAt" <= ${at} AND dg."endsAt" > ${at}
      AND (dg."projectId" IS NULL OR dg."projectId" = s."projectId") AND (dg."stageId" IS NULL OR dg."stageId" = s."id")
      AND ${holds(sql`dg."fromUserId"`)}
      AND NOT ${holds(sql`${deciderId}`)}
    ORDER BY CASE WHEN s."ownerId" = dg."fromUserId" THEN 1 ELSE 0 END, dg."createdAt"
    LIMIT 1)`;
}
