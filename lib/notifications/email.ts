import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { defineQueue } from "@/lib/jobs";
import { log } from "@/lib/log";
import { transact } from "@/lib/transaction";
import type { EmailStatus } from "./schema";

/**
 * Every email is an OutboundEmail row, written in the transaction of what caused it. Without
 * SMTP_URL the row is kept for admins to read at /admin/emails; with it, an email-send job in
 * the same transaction delivers it over SMTP (nodemailer), retried with backoff, and the row
 * ends sent or failed with the last error.
 */
/** A link for an email: absolute on PUBLIC_URL when it is set (a mail client has no page to resolve an app path against). */
export function emailLink(path: string): string {
  const base = env().PUBLIC_URL;
  return base ? new URL(path, base).toString() : path;
}

export type EmailDraft = { userId?: string | null; to: string; subject: string; text: string };

/** True when emails go out over SMTP rather than being kept in the app. */
export function smtpConfigured(): boolean {
  return env().SMTP_URL !== undefined;
}

const globalForMail = globalThis as unknown as { countersignMail?: { url: string; transport: Transporter } };

/** One transport per SMTP_URL, remade when the URL changes (tests point it at their own server). */
function transport(url: string): Transporter {
  if (globalForMail.countersignMail?.url !== url) {
    globalForMail.countersignMail?.transport.close();
    globalForMail.countersignMail = {
      url,
      transport: nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
    };
  }
  return globalForMail.countersignMail.transport;
}

/**
 * Records an email in the caller's transaction: kept when no SMTP server is configured,
 * otherwise queued with its delivery job. `notificationIds` are marked emailed once it is sent.
 */
export async function queueEmail(tx: Tx, draft: EmailDraft, notificationIds: readonly string[] = []): Promise<{ id: string; status: EmailStatus }> {
  const status: EmailStatus = smtpConfigured() ? "queued" : "kept";
  const email = await tx.outboundEmail.create({
    data: { userId: draft.userId ?? null, to: draft.to, subject: draft.subject, text: draft.text, status },
    select: { id: true },
  });
  if (status === "queued") {
    await emailDelivery.send({ emailId: email.id, notificationIds: [...notificationIds] }, { tx });
  } else if (notificationIds.length > 0) {
    // Kept is as far as email goes without SMTP: a later digest must not send these again.
    await tx.notification.updateMany({ where: { id: { in: [...notificationIds] } }, data: { emailedAt: new Date() } });
  }
  return { id: email.id, status };
}

/** Sends one queued email; throws on an SMTP failure so the job is retried, and records failed on the last attempt. */
export async function deliverEmail(emailId: string, notificationIds: readonly string[], attempt: { last: boolean }): Promise<void> {
  const email = await db().outboundEmail.findUnique({ where: { id: emailId } });
  if (!email || email.status === "sent" || email.status === "kept") return;
  const url = env().SMTP_URL;
  if (url === undefined) {
    // SMTP was switched off after the email was queued: keep it for admins rather than fail it.
    await db().outboundEmail.update({ where: { id: emailId }, data: { status: "kept" } });
    return;
  }
  await db().outboundEmail.update({ where: { id: emailId }, data: { attempts: { increment: 1 } } });
  try {
    await transport(url).sendMail({ from: env().MAIL_FROM, to: email.to, subject: email.subject, text: email.text });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db().outboundEmail.update({ where: { id: emailId }, data: { status: attempt.last ? "failed" : "queued", error: message.slice(0, 2000) } });
    log().warn({ emailId, last: attempt.last, error: message }, "email delivery failed");
    throw error;
  }
  const sentAt = new Date();
  await transact(async (tx) => {
    await tx.outboundEmail.update({ where: { id: emailId }, data: { status: "sent", sentAt, error: null } });
    await tx.notification.updateMany({ where: { id: { in: [...notificationIds] }, emailedAt: null }, data: { emailedAt: sentAt } });
  });
}

export const emailDelivery = defineQueue({
  name: "email-send",
  data: z.object({ emailId: z.string().min(1), notificationIds: z.array(z.string().min(1)).default([]) }),
  // Five attempts over about ten minutes: a mail server restarting or briefly refusing is ridden out.
  retryLimit: 4,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 300,
  handle: async ({ emailId, notificationIds }, job) => deliverEmail(emailId, notificationIds, { last: job.retryCount >= job.retryLimit }),
});
