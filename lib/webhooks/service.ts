import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { notifyQueue } from "@/lib/jobs";
import { transact } from "@/lib/transaction";
import { enqueueDeliveryAttempt, webhookDeliveryQueue } from "./delivery";
import {
  createWebhookSchema,
  deliveryQuerySchema,
  updateWebhookSchema,
  webhookEventNames,
  type DeliveryQuery,
  type DeliveryStatus,
  type UpdateWebhookInput,
} from "./schema";
import { newWebhookSecret } from "./signing";

/**
 * Admins' webhooks: register, change, remove, and see and repeat their deliveries. Every change
 * is audited in its own transaction. The secret is stored as it is, not hashed like API tokens
 * (lib/tokens/service.ts): we are the ones who sign with it, and HMAC needs the key itself. It
 * is returned once, at creation, and never by a read.
 */

type WebhookEventName = (typeof webhookEventNames)[number];

export type WebhookView = { id: string; url: string; events: WebhookEventName[]; active: boolean; createdAt: string; createdBy: string | null };
export type AttemptView = { attempt: number; statusCode: number | null; error: string | null; durationMs: number; at: string };
export type DeliveryView = {
  id: string;
  webhookId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  body: string;
  attemptsMade: AttemptView[];
};

const webhookSelect = { id: true, url: true, events: true, active: true, createdAt: true, createdById: true } as const;

type WebhookRow = { id: string; url: string; events: unknown; active: boolean; createdAt: Date; createdById: string | null };

function eventsOf(stored: unknown): WebhookEventName[] {
  const known = new Set<string>(webhookEventNames);
  return Array.isArray(stored) ? stored.filter((event): event is WebhookEventName => typeof event === "string" && known.has(event)) : [];
}

async function toViews(rows: WebhookRow[]): Promise<WebhookView[]> {
  const creatorIds = [...new Set(rows.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  const creators = creatorIds.length ? await db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(creators.map((user) => [user.id, user.email]));
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    events: eventsOf(row.events),
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdById ? (emailOf.get(row.createdById) ?? null) : null,
  }));
}

/** Takes the names as given (a form sends any text); the schema refuses unknown ones with 422. */
export async function createWebhook(actor: UserActor, input: { url: string; events: readonly string[] }): Promise<WebhookView & { secret: string }> {
  await assertCan(actor, "webhooks:manage");
  const { url, events } = createWebhookSchema.parse(input);
  const secret = newWebhookSecret();
  const created = await transact(async (tx) => {
    const webhook = await tx.webhook.create({ data: { url, events, secret, createdById: actor.userId }, select: webhookSelect });
    await recordAudit(tx, { actor, action: "webhook.created", subjectType: "webhook", subjectId: webhook.id, after: { url, events, active: true } });
    return webhook;
  });
  const [view] = await toViews([created]);
  return { ...view, secret };
}

export async function listWebhooks(actor: UserActor): Promise<WebhookView[]> {
  await assertCan(actor, "webhooks:manage");
  return toViews(await db().webhook.findMany({ orderBy: { createdAt: "desc" }, select: webhookSelect }));
}

async function findWebhook(id: string) {
  const webhook = await db().webhook.findUnique({ where: { id }, select: webhookSelect });
  if (!webhook) throw notFound("The webhook");
  return webhook;
}

export async function updateWebhook(actor: UserActor, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
  await assertCan(actor, "webhooks:manage");
  const change = updateWebhookSchema.parse(input);
  const updated = await transact(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, select: webhookSelect });
    if (!before) throw notFound("The webhook");
    const webhook = await tx.webhook.update({
      where: { id },
      data: { ...(change.events ? { events: change.events } : {}), ...(change.active !== undefined ? { active: change.active } : {}) },
      select: webhookSelect,
    });
    await recordAudit(tx, {
      actor,
      action: "webhook.updated",
      subjectType: "webhook",
      subjectId: id,
      before: { events: eventsOf(before.events), active: before.active },
      after: { events: eventsOf(webhook.events), active: webhook.active },
    });
    return webhook;
  });
  const [view] = await toViews([updated]);
  return view;
}

/** Removes the webhook with its deliveries; jobs still waiting for them find nothing and stop. */
export async function deleteWebhook(actor: UserActor, id: string): Promise<{ id: string }> {
  await assertCan(actor, "webhooks:manage");
  await transact(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id }, select: webhookSelect });
    if (!webhook) throw notFound("The webhook");
    await tx.webhook.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "webhook.deleted", subjectType: "webhook", subjectId: id, before: { url: webhook.url, events: eventsOf(webhook.events), active: webhook.active } });
  });
  return { id };
}

const deliverySelect = {
  id: true,
  webhookId: true,
  event: true,
  body: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastError: true,
  nextAttemptAt: true,
  deliveredAt: true,
  createdAt: true,
  attemptsMade: { orderBy: { attempt: "asc" }, select: { attempt: true, statusCode: true, error: true, durationMs: true, createdAt: true } },
} as const;

type DeliveryRow = {
  id: string;
  webhookId: string;
  event: string;
  body: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptsMade: { attempt: number; statusCode: number | null; error: string | null; durationMs: number; createdAt: Date }[];
};

function toDeliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhookId,
    event: row.event,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    body: row.body,
    attemptsMade: row.attemptsMade.map((attempt) => ({
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
      at: attempt.createdAt.toISOString(),
    })),
  };
}

/** Newest first, each with its attempts. The cursor is the id of the last delivery of the previous page. */
export async function listDeliveries(actor: UserActor, webhookId: string, input: DeliveryQuery = {}): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  await assertCan(actor, "webhooks:manage");
  const query = deliveryQuerySchema.parse(input);
  await findWebhook(webhookId);
  const rows = await db().webhookDelivery.findMany({
    where: { webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    take: query.limit + 1,
    select: deliverySelect,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(toDeliveryView), nextCursor: rows.length > query.limit ? page[page.length - 1].id : null };
}

/**
 * Sends a settled delivery again: a new series of attempts (with retries) of the same body under
 * the same delivery id, so a receiver that did get it can tell. A delivery still being retried is
 * refused rather than given a second series alongside the first.
 */
export async function redeliver(actor: UserActor, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  await assertCan(actor, "webhooks:manage");
  const now = new Date();
  await transact(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, webhookId },
      select: { id: true, event: true, status: true, attempts: true, webhook: { select: { active: true } } },
    });
    if (!delivery) throw notFound("The delivery");
    if (!delivery.webhook.active) throw conflict("The webhook is inactive; activate it before redelivering.", { reason: "webhook_inactive" });
    // Guarded on the status and attempts read: of two redeliveries at once, the second finds the delivery pending.
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, status: { in: ["delivered", "failed"] }, attempts: delivery.attempts },
      data: { status: "pending", nextAttemptAt: now, deliveredAt: null },
    });
    if (count !== 1) throw conflict("The delivery is still being delivered; wait for it to succeed or fail, then redeliver.", { reason: "delivery_pending" });
    await enqueueDeliveryAttempt(tx, { deliveryId, attempt: delivery.attempts + 1, seriesStart: delivery.attempts });
    await recordAudit(tx, {
      actor,
      action: "webhook.redelivered",
      subjectType: "webhook",
      subjectId: webhookId,
      before: { deliveryId, event: delivery.event, status: delivery.status, attempts: delivery.attempts },
      after: { deliveryId, status: "pending" },
    });
  });
  notifyQueue(webhookDeliveryQueue);
  const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: deliverySelect });
  return toDeliveryView(row);
}
