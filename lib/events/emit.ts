import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { flag, selectRows, sql } from "@/lib/sql/statements";
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
 * What the caller already read in this transaction: whether any webhook is active at all (a
 * decision reads it with its item, one statement fewer on the commonest write).
 */
export type KnownWebhooks = { anyActive?: boolean };

/**
 * Stores one WebhookDelivery per active webhook subscribed to the event, each with the exact
 * JSON body that will be signed and sent ({id, event, createdAt, data}; the id is the event's,
 * the same for every endpoint), and queues its first attempt. With no webhook subscribed it
 * costs one read of the (small) webhook table, as a plain statement: every decision emits an
 * event, and the ORM's query compiler took more CPU for this read than the rest of the decision's
 * statements together. The subscription list is not cached per process: the web server and
 * separate workers would not see each other's changes to it.
 * `data` holds ids, references and emails only: never secrets or source text.
 */
export async function emitEvent(tx: Tx, event: CountersignEvent, data: Record<string, unknown>, known: KnownWebhooks = {}): Promise<void> {
  if (known.anyActive === false) return;
  const webhooks = await selectRows<{ id: string; events: unknown; active: unknown }>(tx, sql`SELECT "id", "events", "active" FROM "Webhook"`);
  const subscribed = webhooks.filter((webhook) => flag(webhook.active) && subscribesTo(webhook.events, event));
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
