import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { markRead } from "@/lib/notifications/service";

export const POST = handle(endpoints.markNotificationsRead, ({ actor, body }) => markRead(actor.userId, body));

export * from "@/lib/api/other-methods";
