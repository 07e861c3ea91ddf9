import { z } from "zod";
import { timestamp } from "@/lib/api/common";
import { anywhere } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import {
  emailPreferenceSchema,
  emailStatusSchema,
  markReadInputSchema,
  notificationListQuerySchema,
  notificationPreferencesSchema,
  outboundEmailQuerySchema,
} from "@/lib/notifications/schema";

/** The /api/v1 routes of notifications (the caller's inbox and email preference; admins' outbound email), merged into lib/api/schemas.ts. */
const notificationSchema = z
  .strictObject({
    id: z.string(),
    kind: z.string().meta({ description: "What happened, e.g. stage.reopened, artifacts.stale, run_blocked" }),
    message: z.string(),
    link: z.string().nullable().meta({ description: "The app path to look at, e.g. /projects/{id}/stages/{key}" }),
    projectId: z.string().nullable(),
    createdAt: timestamp,
    read: z.boolean(),
  })
  .meta({ id: "Notification" });

const unreadCount = z.number().int().min(0).meta({ description: "The caller's unread notifications, all of them (the nav badge)" });

const preferencesSchema = z
  .strictObject({
    email: emailPreferenceSchema.meta({ description: "immediate: one email per notification; daily: one digest a day (07:00 UTC) of unread ones; off: in the app only" }),
  })
  .meta({ id: "NotificationPreferences" });

const outboundEmailSchema = z
  .strictObject({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    status: emailStatusSchema.meta({ description: "kept (no SMTP_URL configured: readable here only), queued, sent, or failed once its retries ran out" }),
    error: z.string().nullable().meta({ description: "The last SMTP error, if any" }),
    attempts: z.number().int(),
    createdAt: timestamp,
    sentAt: timestamp.nullable(),
  })
  .meta({ id: "OutboundEmail" });

export const notificationsEndpoints = {
  listNotifications: {
    method: "get",
    path: "/notifications",
    summary: "The caller's notifications, newest first, each with its read state, and how many are unread",
    query: notificationListQuerySchema,
    status: 200,
    response: z.strictObject({
      items: z.array(notificationSchema),
      unreadCount,
      nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page" }),
    }),
    errors: { 422: "unread is not true or false, or limit is not 1-100." },
  },
  markNotificationsRead: {
    method: "post",
    authorize: anywhere("notifications:readOwn"),
    path: "/notifications/read",
    summary: "Mark the caller's notifications read: the ones named by ids, or all of them; ids of anyone else's are ignored",
    body: markReadInputSchema,
    status: 200,
    response: z.strictObject({ marked: z.number().int().min(0).meta({ description: "How many were unread and are now read" }), unreadCount }),
    errors: { 422: "Neither ids nor all: true was sent, or both." },
  },
  getNotificationPreferences: {
    method: "get",
    path: "/me/notification-preferences",
    summary: "How the caller hears by email (immediate by default)",
    status: 200,
    response: preferencesSchema,
  },
  updateNotificationPreferences: {
    method: "put",
    authorize: anywhere("notifications:manageOwn"),
    path: "/me/notification-preferences",
    summary: "Choose how the caller hears by email: immediate, daily (digest) or off",
    body: notificationPreferencesSchema,
    status: 200,
    response: preferencesSchema,
    errors: { 422: "email is not immediate, daily or off." },
  },
  listOutboundEmails: {
    method: "get",
    path: "/admin/emails",
    summary: "Emails Countersign sent, kept (no SMTP configured) or failed to send, newest first (admins)",
    query: outboundEmailQuerySchema,
    status: 200,
    response: z.strictObject({ items: z.array(outboundEmailSchema) }),
    errors: { 403: "Only admins can read outbound email." },
  },
} satisfies Record<string, Endpoint>;
