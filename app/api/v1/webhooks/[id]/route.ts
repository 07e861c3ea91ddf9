import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { deleteWebhook, updateWebhook } from "@/lib/webhooks/service";

export const PATCH = handle(endpoints.updateWebhook, ({ actor, params, body }) => updateWebhook(actor, params.id, body));

export const DELETE = handle(endpoints.deleteWebhook, ({ actor, params }) => deleteWebhook(actor, params.id));

export * from "@/lib/api/other-methods";
