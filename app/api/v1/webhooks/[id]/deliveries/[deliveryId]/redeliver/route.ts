import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { redeliver } from "@/lib/webhooks/service";

export const POST = handle(endpoints.redeliverWebhookDelivery, ({ actor, params }) => redeliver(actor, params.id, params.deliveryId));

export * from "@/lib/api/other-methods";
