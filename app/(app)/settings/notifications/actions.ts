"use server";

import { action, granted } from "@/lib/actions";
import { notificationPreferencesSchema } from "@/lib/notifications/schema";
import { setNotificationPreferences } from "@/lib/notifications/service";

export const updateNotificationPreferencesAction = action(notificationPreferencesSchema, granted("notifications:manageOwn"), (actor, input) => setNotificationPreferences(actor, input), {
  revalidate: ["/settings/notifications"],
});
