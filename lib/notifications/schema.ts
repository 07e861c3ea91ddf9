import { z } from "zod";

/**
 * The contracts of notifications: what a notice is, how the inbox is read and marked, and how
 * each person wants to hear by email (at once, in one daily digest, or not at all).
 */
export const emailPreferenceSchema = z.enum(["immediate", "daily", "off"]);
export type EmailPreference = z.infer<typeof emailPreferenceSchema>;
export const DEFAULT_EMAIL_PREFERENCE: EmailPreference = "immediate";

export const emailPreferenceLabels: Record<EmailPreference, string> = {
  immediate: "Immediately",
  daily: "Daily digest",
  off: "Off",
};

/** What a notice is about, in words (kinds come from many modules; an unknown one is spelled out). */
const kindLabels: Record<string, string> = {
  "stage.reopened": "Stage reopened",
  "artifacts.stale": "Work rests on a change",
  run_blocked: "Run stopped by its budget",
  "calibration.tightened": "Auto-approval tightened",
  "step.provider_error": "Drafting failed",
};

export function notificationKindLabel(kind: string): string {
  const known = kindLabels[kind];
  if (known) return known;
  const words = kind.replace(/[._-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const notificationPreferencesSchema = z.object({ email: emailPreferenceSchema }).strict();
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

const MAX_MESSAGE_CHARS = 4000;

export const notifyInputSchema = z.object({
  userIds: z.array(z.string().min(1)),
  projectId: z.string().min(1).nullish(),
  kind: z.string().min(1).max(100),
  // A long message (a change touching hundreds of refs) is shortened, never refused: refusing would undo the change it reports.
  message: z
    .string()
    .min(1)
    .transform((message) => (message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 3)}...` : message)),
  link: z.string().min(1).max(2000).nullish(),
});
export type NotifyInput = z.input<typeof notifyInputSchema>;

export const notificationListQuerySchema = z.object({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The id of the last notification of the previous page. */
  cursor: z.string().min(1).max(100).optional(),
});
export type NotificationListQuery = z.output<typeof notificationListQuerySchema>;

export const notificationItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  link: z.string().nullable(),
  projectId: z.string().nullable(),
  createdAt: z.string().datetime(),
  read: z.boolean(),
});
export type NotificationItem = z.infer<typeof notificationItemSchema>;

export const notificationListSchema = z.object({
  items: z.array(notificationItemSchema),
  unreadCount: z.number().int().min(0),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

export const markReadInputSchema = z
  .object({
    ids: z.array(z.string().min(1).max(100)).max(500).optional(),
    all: z.boolean().optional(),
  })
  .strict()
  .refine((input) => (input.all === true) !== (input.ids !== undefined), { message: "Send either ids (a list) or all: true." });
export type MarkReadInput = z.infer<typeof markReadInputSchema>;

export const markReadResultSchema = z.object({ marked: z.number().int().min(0), unreadCount: z.number().int().min(0) });

export const emailStatusSchema = z.enum(["kept", "queued", "sent", "failed"]);
export type EmailStatus = z.infer<typeof emailStatusSchema>;

export const outboundEmailSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: emailStatusSchema,
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string().datetime(),
  sentAt: z.string().datetime().nullable(),
});
export type OutboundEmailView = z.infer<typeof outboundEmailSchema>;

export const outboundEmailQuerySchema = z.object({
  status: emailStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
