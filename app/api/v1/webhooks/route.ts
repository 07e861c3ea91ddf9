import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

export const GET = handle(endpoints.listWebhooks, async ({ actor }) => ({ items: await listWebhooks(actor) }));

export const POST = handle(endpoints.createWebhook, ({ actor, body }) => createWebhook(actor, body));

export * from "@/lib/api/other-methods";
