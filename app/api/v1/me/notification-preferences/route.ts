import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { notificationPreferences, setNotificationPreferences } from "@/lib/notifications/service";

export const GET = handle(endpoints.getNotificationPreferences, ({ actor }) => notificationPreferences(actor.userId));

export const PUT = handle(endpoints.updateNotificationPreferences, ({ actor, body }) => setNotificationPreferences(actor, body));

export * from "@/lib/api/other-methods";
