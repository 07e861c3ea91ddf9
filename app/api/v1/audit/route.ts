import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listAuditEvents } from "@/lib/audit/service";

export const GET = handle(endpoints.listAuditEvents, ({ actor, query }) => listAuditEvents(actor, query));

export * from "@/lib/api/other-methods";
