import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { enqueueDeliveryAttempt } from "@/lib/webhooks/delivery";
import { webhookEventNames } from "@/lib/webhooks/schema";

/**
 * Events other systems may hear of through webhooks. A service emits one inside the transaction
 * of the change it reports, so a delivery exists exactly when the change committed; the
 * delivery job goes out in the same transaction (lib/webhooks/delivery.ts).
 */
export type CountersignEvent = "review_item.routed" | "review_item.decided" | "stage.signed_off" | "artifact.stale" | "sla.escalated";

// The event names webhooks can subscribe to and the ones services emit are the same list.
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const eventNamesMatch: SameNames<CountersignEvent, (typeof webhookEventNames)[number]> = true;
void eventNamesMatch;

function subscribesTo(events: unknown, event: CountersignEvent): boolean {
  return Array.isArray(events) && events.includes(event);
}

/**
 * Stores one WebhookDelivery per active webhook subscribed to the event, each with the exact
 * JSON body that will be signed and sent ({id, event, createdAt, data}; the id is the event's,
 * the same for every endpoint), and queues its first attempt. With no webhook subscribed it
 * costs one read of the (small) webhook table. The subscription list is not cached per process:
 * the web server and separate workers would not see each other's changes to it.
 * `data` holds ids, references and emails only: never secrets or source text.
 */
export async function emitEvent(tx: Tx, event: CountersignEvent, data: Record<string, unknown>): Promise<void> {
  const webhooks = await tx.webhook.findMany({ where: { active: true }, select: { id: true, events: true } });
  const subscribed = webhooks.filter((webhook) => subscribesTo(webhook.events, event));
  if (subscribed.length === 0) return;
  const createdAt = new Date();
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, event, createdAt: createdAt.toISOString(), data });
  for (const webhook of subscribed) {
    const delivery = await tx.webhookDelivery.create({
      data: { webhookId: webhook.id, event, body, status: "pending", nextAttemptAt: createdAt },
      select: { id: true },
    });
    await enqueueDeliveryAttempt(tx, { deliveryId: delivery.id, attempt: 1, seriesStart: 0 });
  }
}
