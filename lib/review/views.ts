import type { UserActor } from "@/lib/actors";
import { can, type Role } from "@/lib/authz";
import { db } from "@/lib/db";

/**
 * Counts for the nav badge and the dashboard. One query finds the stages the actor reviews or
 * owns; the permission table (via can(), with the roles rolesFor() would give) decides which of
 * them the actor may decide in, so this never disagrees with decideReviewItem.
 */
async function decidableStageIds(actor: UserActor): Promise<string[]> {
  const stages = await db().stage.findMany({
    where: { OR: [{ reviewers: { some: { userId: actor.userId } } }, { ownerId: actor.userId }] },
    select: { id: true, ownerId: true, reviewers: { where: { userId: actor.userId }, select: { userId: true } } },
  });
  return stages
    .filter((stage) => {
      const roles: Role[] = [actor.role, "project_member"];
      if (stage.ownerId === actor.userId) roles.push("stage_owner");
      if (stage.reviewers.length > 0) roles.push("stage_reviewer");
      return can(roles, "review:decide");
    })
    .map((stage) => stage.id);
}

/** Review items waiting for a decision the actor may make. */
export async function pendingReviewCount(actor: UserActor): Promise<number> {
  const stageIds = await decidableStageIds(actor);
  if (stageIds.length === 0) return 0;
  return db().reviewItem.count({ where: { status: "pending", stageId: { in: stageIds } } });
}
