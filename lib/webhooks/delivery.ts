import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { defineQueue } from "@/lib/jobs";
import { log } from "@/lib/log";
import { transact } from "@/lib/transaction";
import { signBody } from "./signing";

/**
 * Delivering webhooks as jobs of lib/jobs. emitEvent (lib/events/emit.ts) stores a
 * WebhookDelivery with the exact body and sends a webhook-delivery job in the caller's
 * transaction; a worker POSTs the body, records a WebhookAttempt, and on a non-2xx answer or a
 * network error sends the next attempt's job with a later startAfter (exponential backoff),
 * until the series' last attempt marks the delivery failed. Delivery is at least once: a worker
 * that dies between the POST and recording it makes the job retry the same attempt, with the
 * same X-Countersign-Delivery id, so receivers can drop the duplicate.
 *
 * Retries are our own jobs rather than the queue's retryLimit so that the next attempt's time is
 * exact and stored (nextAttemptAt, shown to admins) and so that recording an attempt and
 * scheduling the next one commit together. The queue's own retries only cover our failures
 * (the database away while recording).
 *
 * Internal addresses: an admin may point a webhook at a private or loopback address on purpose.
 * Countersign is self-hosted, and receivers (chat bridges, CI, ticketing) often live on the same
 * private network. Only admins register endpoints, they already hold every other lever, and
 * what comes back is limited to the status code and a short error: a response body is never
 * read, stored or shown, so a webhook cannot be used to read an internal service.
 */

/** Attempts in one series: the first plus seven retries, about an hour in all. */
export const MAX_ATTEMPTS = 8;
/** The wait after a series' first failed attempt; each later one doubles it. */
export const FIRST_RETRY_DELAY_MS = 30_000;
/** A receiver that has not answered after this long counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The wait before the next attempt after the n-th failed attempt of a series (n from 1):
 * 30 s, 1 min, 2 min, ... with up to half again of jitter, so many endpoints failing at once
 * do not all come back in the same second.
 */
export function retryDelayMs(failedAttemptInSeries: number, random: () => number = Math.random): number {
  const base = FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, failedAttemptInSeries - 1);
  return Math.round(base * (1 + random() / 2));
}

const jobDataSchema = z.object({
  deliveryId: z.string().min(1),
  /** The attempt number this job makes (the delivery's attempts + 1); a job whose attempt was already made does nothing. */
  attempt: z.number().int().min(1),
  /** Attempts made before this series began (0, or the count when an admin asked for redelivery). */
  seriesStart: z.number().int().min(0),
});
type DeliveryJob = z.output<typeof jobDataSchema>;

export const webhookDeliveryQueue = defineQueue({
  name: "webhook-delivery",
  data: jobDataSchema,
  retryLimit: 3,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 120,
  // Slow receivers should not hold the others up.
  concurrency: 4,
  handle: async (data) => attemptDelivery(data),
});

/** Sends the job of a delivery's next attempt in the caller's transaction. */
export async function enqueueDeliveryAttempt(tx: Tx, job: DeliveryJob, startAfter?: Date): Promise<void> {
  await webhookDeliveryQueue.send(job, { tx, ...(startAfter ? { startAfter } : {}) });
}

type Outcome = { statusCode: number | null; error: string | null; durationMs: number };

/** POSTs the body once; never throws for anything the receiver or the network does. */
export async function postDelivery(target: { url: string; secret: string }, delivery: { id: string; event: string; body: string }): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Countersign-Webhooks/1",
        "x-countersign-event": delivery.event,
        "x-countersign-delivery": delivery.id,
        "x-countersign-signature": signBody(target.secret, delivery.body),
      },
      body: delivery.body,
      // A redirect is an answer like any other non-2xx: following it would send the body somewhere nobody registered.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    // The body is never read (see the note on internal addresses above).
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `The endpoint answered ${response.status}.`, durationMs: elapsed() };
  } catch (error) {
    return { statusCode: null, error: describeNetworkError(error), durationMs: elapsed() };
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `The endpoint did not answer within ${DELIVERY_TIMEOUT_MS / 1000} seconds.`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  const message = error instanceof Error ? error.message : String(error);
  return `The request failed: ${cause ? `${message} (${cause})` : message}`.slice(0, 500);
}

/** Makes one attempt of a delivery and records it; schedules the next one while the series has attempts left. */
export async function attemptDelivery(job: DeliveryJob): Promise<void> {
  const delivery = await db().webhookDelivery.findUnique({
    where: { id: job.deliveryId },
    select: { id: true, event: true, body: true, status: true, attempts: true, webhook: { select: { url: true, secret: true, active: true } } },
  });
  // Gone with its webhook, already settled, or this attempt was made by another job: nothing to do.
  if (!delivery || delivery.status !== "pending" || delivery.attempts !== job.attempt - 1) return;
  if (!delivery.webhook.active) {
    await db().webhookDelivery.updateMany({
      where: { id: delivery.id, status: "pending", attempts: delivery.attempts },
      data: { status: "failed", lastError: "The webhook was deactivated before this delivery went out.", nextAttemptAt: null },
    });
    return;
  }
  const outcome = await postDelivery(delivery.webhook, delivery);
  const delivered = outcome.error === null;
  const attemptInSeries = job.attempt - job.seriesStart;
  const retry = !delivered && attemptInSeries < MAX_ATTEMPTS;
  const now = new Date();
  const nextAttemptAt = retry ? new Date(now.getTime() + retryDelayMs(attemptInSeries)) : null;
  await transact(async (tx) => {
    // Compare-and-set on the attempt count: of two jobs making the same attempt, one records it.
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "pending", attempts: job.attempt - 1 },
      data: {
        attempts: job.attempt,
        status: delivered ? "delivered" : retry ? "pending" : "failed",
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        nextAttemptAt,
        deliveredAt: delivered ? now : null,
      },
    });
    if (count !== 1) return;
    await tx.webhookAttempt.create({
      data: { deliveryId: delivery.id, attempt: job.attempt, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs },
    });
    if (nextAttemptAt) await enqueueDeliveryAttempt(tx, { ...job, attempt: job.attempt + 1 }, nextAttemptAt);
  });
  if (!delivered) {
    log().warn({ deliveryId: delivery.id, attempt: job.attempt, statusCode: outcome.statusCode, error: outcome.error, nextAttemptAt }, "webhook delivery attempt failed");
  }
}

/** Makes every due delivery attempt in this process now: for tests, the CLI and scripts. */
export function drainWebhookDeliveries(): Promise<number> {
  return webhookDeliveryQueue.drain();
}
