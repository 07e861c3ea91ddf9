"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { signOut } from "@/lib/auth";
import { markNotificationsRead } from "@/lib/notifications/service";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

// Only the signed-in user's own notices are marked: the service filters by their id.
export const markNotificationsReadAction = action(z.object({ ids: z.array(z.string().min(1)).min(1, "name a notification").max(100) }), granted("notifications:readOwn"), (actor, { ids }) =>
  markNotificationsRead(actor.userId, ids),
);
