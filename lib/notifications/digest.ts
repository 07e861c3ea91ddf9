import { z } from "zod";
import { db } from "@/lib/db";
import { defineQueue } from "@/lib/jobs";
import { transact } from "@/lib/transaction";
import { emailDelivery, emailLink, queueEmail } from "./email";

/**
 * The daily digest: once a day, everyone whose email preference is "daily" gets one email with
 * their unread notices that no email has carried yet; those notices are marked emailed in the
 * same transaction as the email, so a digest that runs twice never repeats them.
 */
export const DIGEST_CRON = "0 7 * * *";

/** Most notices one digest lists; the rest wait for the next one (the inbox has them all). */
const DIGEST_LIMIT = 200;

/** Builds and queues (or keeps) the digest of every user who chose it; returns how many digests were made. */
export async function sendDailyDigests(): Promise<number> {
  const users = await db().user.findMany({
    where: {
      deactivatedAt: null,
      notificationPreference: { email: "daily" },
      notifications: { some: { readAt: null, emailedAt: null } },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  let made = 0;
  for (const user of users) if (await digestFor(user.id)) made += 1;
  return made;
}

async function digestFor(userId: string): Promise<boolean> {
  return transact(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, notificationPreference: { select: { email: true } } } });
    // The preference may have changed since the users were listed.
    if (user.notificationPreference?.email !== "daily") return false;
    const notices = await tx.notification.findMany({
      where: { userId, readAt: null, emailedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: DIGEST_LIMIT,
      select: { id: true, message: true, link: true, createdAt: true },
    });
    if (notices.length === 0) return false;
    const { count } = await tx.notification.updateMany({ where: { id: { in: notices.map((n) => n.id) }, emailedAt: null }, data: { emailedAt: new Date() } });
    // Another digest took them first.
    if (count !== notices.length) throw new DigestRaced();
    await queueEmail(tx, { userId, to: user.email, ...digestEmail(notices) });
    return true;
  }).catch((error: unknown) => {
    if (error instanceof DigestRaced) return false;
    throw error;
  });
}

class DigestRaced extends Error {}

/** The digest's words: one line per notice, oldest first, with where to look. */
export function digestEmail(notices: readonly { message: string; link: string | null; createdAt: Date }[]): { subject: string; text: string } {
  const subject = `Countersign: ${notices.length} ${notices.length === 1 ? "notification" : "notifications"} since your last digest`;
  const lines = notices.flatMap((notice) => [
    `- ${notice.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC: ${notice.message}`,
    ...(notice.link ? [`  Open in Countersign: ${emailLink(notice.link)}`] : []),
  ]);
  lines.push("", 'You receive this because your email preference is "Daily digest". Change it under Settings > Notifications.');
  return { subject, text: lines.join("\n") };
}

export const notificationDigest = defineQueue({
  name: "notification-digest",
  data: z.object({}),
  singleton: true,
  retryLimit: 2,
  retryDelaySeconds: 60,
  handle: async () => void (await sendDailyDigests()),
});

/** The queues a worker process handles for notifications. */
export const notificationQueues = [emailDelivery, notificationDigest];

/** Puts the daily digest on the jobs module's schedule (idempotent; once per slot across processes). */
export async function scheduleDailyDigest(): Promise<void> {
  await notificationDigest.schedule(DIGEST_CRON, {});
}
