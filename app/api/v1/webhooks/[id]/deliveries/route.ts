import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listDeliveries } from "@/lib/webhooks/service";

export const GET = handle(endpoints.listWebhookDeliveries, ({ actor, params, query }) => listDeliveries(actor, params.id, query));

export * from "@/lib/api/other-methods";
