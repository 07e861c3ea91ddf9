import { db } from "@/lib/db";

/**
 * Tells people what they answer for: a stage's owner hears when something about their stage
 * changed without them (e.g. a step's auto-approval tightened after an audit).
 */
export async function notifyStageOwner(stageId: string, notice: { kind: string; message: string }): Promise<void> {
  const stage = await db().stage.findUnique({ where: { id: stageId }, select: { ownerId: true, projectId: true, key: true } });
  if (!stage?.ownerId) return;
  await db().notification.create({
    data: {
      userId: stage.ownerId,
      projectId: stage.projectId,
      kind: notice.kind,
      message: notice.message,
      link: `/projects/${stage.projectId}/stages/${stage.key}`,
    },
  });
}

/** The actor's unread notices, newest first. */
export async function unreadNotifications(userId: string) {
  return db().notification.findMany({ where: { userId, readAt: null }, orderBy: { createdAt: "desc" }, take: 20 });
}

export async function markNotificationsRead(userId: string, ids: string[]): Promise<number> {
  const { count } = await db().notification.updateMany({ where: { userId, id: { in: ids }, readAt: null }, data: { readAt: new Date() } });
  return count;
}
