import type { Tx } from "@/lib/db";
import { emailLink, queueEmail } from "./email";
import { DEFAULT_EMAIL_PREFERENCE, emailPreferenceSchema, notifyInputSchema, type NotifyInput } from "./schema";

/**
 * The one way anything tells people something: one in-app notification per distinct user, and
 * for those who want email at once, the email (and its delivery job) in the same transaction,
 * so a notice and its email exist exactly when the change that caused them commits. People who
 * chose the daily digest hear by email from lib/notifications/digest.ts; "off" is in-app only.
 */
export async function notify(
  tx: Tx,
  input: { userIds: string[]; projectId?: string | null; kind: string; message: string; link?: string | null },
): Promise<void> {
  const notice = notifyInputSchema.parse(input satisfies NotifyInput);
  const userIds = [...new Set(notice.userIds)];
  if (userIds.length === 0) return;
  const users = await tx.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, email: true, deactivatedAt: true, notificationPreference: { select: { email: true } } },
  });
  for (const user of users) {
    const created = await tx.notification.create({
      data: { userId: user.id, projectId: notice.projectId ?? null, kind: notice.kind, message: notice.message, link: notice.link ?? null },
      select: { id: true },
    });
    // A deactivated account keeps its inbox but is not written to.
    if (user.deactivatedAt || preferenceOf(user.notificationPreference?.email) !== "immediate") continue;
    await queueEmail(tx, { userId: user.id, to: user.email, ...immediateEmail(notice) }, [created.id]);
  }
}

/** A stored preference, or the default when none was chosen (or an old value no longer valid). */
export function preferenceOf(stored: string | undefined | null) {
  const parsed = emailPreferenceSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_EMAIL_PREFERENCE;
}

function immediateEmail(notice: { message: string; link?: string | null; kind: string }): { subject: string; text: string } {
  const firstSentence = notice.message.split(/(?<=[.!?])\s/)[0] ?? notice.message;
  const subject = `Countersign: ${firstSentence.length > 120 ? `${firstSentence.slice(0, 117)}...` : firstSentence}`;
  const lines = [notice.message, ""];
  if (notice.link) lines.push(`Open in Countersign: ${emailLink(notice.link)}`, "");
  lines.push("You receive this because your email preference is \"Immediately\". Change it under Settings > Notifications.");
  return { subject, text: lines.join("\n") };
}
