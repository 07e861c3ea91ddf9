import { assertCan } from "@/lib/access";
import type { UserActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { transact } from "@/lib/transaction";
import { notify, preferenceOf } from "./notify";
import type {
  EmailPreference,
  MarkReadInput,
  NotificationItem,
  NotificationList,
  NotificationListQuery,
  NotificationPreferences,
  OutboundEmailView,
  EmailStatus,
} from "./schema";

/**
 * The inbox and the preferences behind it. Every read and mark is filtered by the caller's
 * user id, so nobody reads or marks anyone else's notices.
 */

/**
 * Tells people what they answer for: a stage's owner hears when something about their stage
 * changed without them (e.g. a step's auto-approval tightened after an audit).
 */
export async function notifyStageOwner(stageId: string, notice: { kind: string; message: string }): Promise<void> {
  await transact(async (tx) => {
    const stage = await tx.stage.findUnique({ where: { id: stageId }, select: { ownerId: true, projectId: true, key: true } });
    if (!stage?.ownerId) return;
    await notify(tx, { userIds: [stage.ownerId], projectId: stage.projectId, kind: notice.kind, message: notice.message, link: `/projects/${stage.projectId}/stages/${stage.key}` });
  });
}

type NotificationRow = { id: string; kind: string; message: string; link: string | null; projectId: string | null; createdAt: Date; readAt: Date | null };

function toItem(row: NotificationRow): NotificationItem {
  return { id: row.id, kind: row.kind, message: row.message, link: row.link, projectId: row.projectId, createdAt: row.createdAt.toISOString(), read: row.readAt !== null };
}

export async function unreadCount(userId: string, client: Tx = db()): Promise<number> {
  return client.notification.count({ where: { userId, readAt: null } });
}

/** The user's unread notices, newest first (the home page shows the latest few). */
export async function unreadNotifications(userId: string, take = 20): Promise<NotificationItem[]> {
  const rows = await db().notification.findMany({ where: { userId, readAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  return rows.map(toItem);
}

/**
 * The caller's inbox, newest first; `unread` limits it to unread notices. The cursor is the id of
 * the last notice of the previous page, so a page stays stable while new notices arrive.
 */
export async function listNotifications(userId: string, query: NotificationListQuery): Promise<NotificationList> {
  const cursorRow = query.cursor
    ? await db().notification.findFirst({ where: { id: query.cursor, userId }, select: { id: true, createdAt: true } })
    : null;
  const rows = await db().notification.findMany({
    where: {
      userId,
      ...(query.unread ? { readAt: null } : {}),
      ...(cursorRow
        ? { OR: [{ createdAt: { lt: cursorRow.createdAt } }, { createdAt: cursorRow.createdAt, id: { lt: cursorRow.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toItem),
    unreadCount: await unreadCount(userId),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}

/** The inbox page's order: unread first, then read, each newest first. */
export async function inbox(userId: string, take = 100): Promise<{ unread: NotificationItem[]; read: NotificationItem[]; unreadCount: number }> {
  const [unread, read, count] = await Promise.all([
    db().notification.findMany({ where: { userId, readAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take }),
    db().notification.findMany({ where: { userId, readAt: { not: null } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take }),
    unreadCount(userId),
  ]);
  return { unread: unread.map(toItem), read: read.map(toItem), unreadCount: count };
}

/** Marks the caller's own notices read (the given ones, or all); ids of others' notices are ignored. */
export async function markRead(userId: string, input: MarkReadInput): Promise<{ marked: number; unreadCount: number }> {
  const { count } = await db().notification.updateMany({
    where: { userId, readAt: null, ...(input.all ? {} : { id: { in: input.ids ?? [] } }) },
    data: { readAt: new Date() },
  });
  return { marked: count, unreadCount: await unreadCount(userId) };
}

export async function markNotificationsRead(userId: string, ids: string[]): Promise<number> {
  return (await markRead(userId, { ids })).marked;
}

export async function notificationPreferences(userId: string): Promise<NotificationPreferences> {
  const stored = await db().notificationPreference.findUnique({ where: { userId }, select: { email: true } });
  return { email: preferenceOf(stored?.email) };
}

/** Saves how the user wants to hear by email, with an audit event (it decides what leaves the app). */
export async function setNotificationPreferences(actor: UserActor, preferences: NotificationPreferences): Promise<NotificationPreferences> {
  return transact(async (tx) => {
    const before = await tx.notificationPreference.findUnique({ where: { userId: actor.userId }, select: { email: true } });
    const email: EmailPreference = preferences.email;
    await tx.notificationPreference.upsert({ where: { userId: actor.userId }, create: { userId: actor.userId, email }, update: { email } });
    await recordAudit(tx, {
      actor,
      action: "notifications.preferences_changed",
      subjectType: "user",
      subjectId: actor.userId,
      before: { email: preferenceOf(before?.email) },
      after: { email },
    });
    return { email };
  });
}

/** Emails sent, kept or failed, newest first: for admins (kept emails are how development mail is read). */
export async function listOutboundEmails(actor: UserActor, query: { status?: EmailStatus; limit: number }): Promise<OutboundEmailView[]> {
  await assertCan(actor, "emails:read");
  const rows = await db().outboundEmail.findMany({
    where: query.status ? { status: query.status } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map((row) => ({
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    status: row.status as EmailStatus,
    error: row.error,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  }));
}
