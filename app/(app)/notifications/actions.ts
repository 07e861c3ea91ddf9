"use server";

import { action, granted } from "@/lib/actions";
import { markReadInputSchema } from "@/lib/notifications/schema";
import { markRead } from "@/lib/notifications/service";

// Only the signed-in user's own notices are marked: the service filters by their id.
export const markInboxReadAction = action(markReadInputSchema, granted("notifications:readOwn"), (actor, input) => markRead(actor.userId, input));
