import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listNotifications } from "@/lib/notifications/service";

export const GET = handle(endpoints.listNotifications, ({ actor, query }) => listNotifications(actor.userId, query));

export * from "@/lib/api/other-methods";
