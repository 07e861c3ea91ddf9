import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listOutboundEmails } from "@/lib/notifications/service";

export const GET = handle(endpoints.listOutboundEmails, async ({ actor, query }) => ({ items: await listOutboundEmails(actor, query) }));

export * from "@/lib/api/other-methods";
