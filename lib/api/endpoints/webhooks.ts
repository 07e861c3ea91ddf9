import { z } from "zod";
import { id, listOf, pageOf, timestamp } from "@/lib/api/common";
import { anywhere } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { createWebhookSchema, deliveryQuerySchema, deliveryStatuses, updateWebhookSchema, webhookEventNames } from "@/lib/webhooks/schema";

/** The /api/v1 routes of webhooks (admins), merged into the one endpoint table in lib/api/schemas.ts. */
const webhookPath = z.object({ id: id("Webhook id") });
const deliveryPath = z.object({ id: id("Webhook id"), deliveryId: id("Delivery id (the X-Countersign-Delivery header)") });

const webhookFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEventNames)),
  active: z.boolean().meta({ description: "Whether events are delivered to it; an inactive webhook keeps its deliveries" }),
  createdAt: timestamp,
  createdBy: z.string().nullable().meta({ description: "The admin's email" }),
};

const webhookSchema = z.strictObject(webhookFields).meta({ id: "Webhook" });

const createdWebhookSchema = z
  .strictObject({
    ...webhookFields,
    secret: z.string().meta({
      description:
        "Shown this once: X-Countersign-Signature is sha256=<hex HMAC-SHA256 of the raw body keyed with this secret>. Store it; no read returns it again.",
    }),
  })
  .meta({ id: "CreatedWebhook" });

const attemptSchema = z
  .strictObject({
    attempt: z.number().int().meta({ description: "Counts up over the delivery's life, across redeliveries" }),
    statusCode: z.number().int().nullable().meta({ description: "The endpoint's HTTP status; null when no answer came (timeout, refused connection)" }),
    error: z.string().nullable().meta({ description: "Why the attempt failed; null when it succeeded (2xx)" }),
    durationMs: z.number().int(),
    at: timestamp,
  })
  .meta({ id: "WebhookAttempt" });

const deliverySchema = z
  .strictObject({
    id: z.string().meta({ description: "Sent as X-Countersign-Delivery; the same on a redelivery" }),
    webhookId: z.string(),
    event: z.enum(webhookEventNames),
    status: z.enum(deliveryStatuses).meta({ description: "pending while attempts are due, delivered after a 2xx, failed once the retries ran out" }),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: timestamp.nullable().meta({ description: "When the next attempt is due; null once delivered or failed" }),
    deliveredAt: timestamp.nullable(),
    createdAt: timestamp,
    body: z.string().meta({ description: "The exact JSON body that is signed and sent: {id, event, createdAt, data}" }),
    attemptsMade: z.array(attemptSchema).meta({ description: "Oldest first" }),
  })
  .meta({ id: "WebhookDelivery" });

const onlyAdmins = "Only admins can manage webhooks.";

export const webhooksEndpoints = {
  listWebhooks: {
    method: "get",
    path: "/webhooks",
    summary: "The registered webhooks, newest first, without their secrets (admins)",
    status: 200,
    response: listOf(webhookSchema),
    errors: { 403: onlyAdmins },
  },
  createWebhook: {
    method: "post",
    authorize: anywhere("webhooks:manage"),
    path: "/webhooks",
    summary:
      "Register an endpoint for events (review_item.routed, review_item.decided, stage.signed_off, artifact.stale, sla.escalated); answers its signing secret, once (admins)",
    body: createWebhookSchema,
    status: 201,
    response: createdWebhookSchema,
    errors: { 403: onlyAdmins, 422: "The url is not an absolute http or https URL (or holds a user name or password), or an event name is unknown." },
  },
  updateWebhook: {
    method: "patch",
    authorize: anywhere("webhooks:manage"),
    path: "/webhooks/{id}",
    summary: "Change the events a webhook receives, or deactivate and reactivate it (admins)",
    params: webhookPath,
    body: updateWebhookSchema,
    status: 200,
    response: webhookSchema,
    errors: { 403: onlyAdmins, 404: "The webhook does not exist.", 422: "Neither events nor active given, or an event name is unknown." },
  },
  deleteWebhook: {
    method: "delete",
    authorize: anywhere("webhooks:manage"),
    path: "/webhooks/{id}",
    summary: "Remove a webhook with its deliveries; attempts still due are dropped (admins)",
    params: webhookPath,
    status: 200,
    response: z.strictObject({ id: z.string() }).meta({ id: "WebhookDeleted" }),
    errors: { 403: onlyAdmins, 404: "The webhook does not exist." },
  },
  listWebhookDeliveries: {
    method: "get",
    path: "/webhooks/{id}/deliveries",
    summary: "A webhook's deliveries, newest first, each with its body and attempts (admins)",
    params: webhookPath,
    query: deliveryQuerySchema,
    status: 200,
    response: pageOf(deliverySchema),
    errors: { 403: onlyAdmins, 404: "The webhook does not exist." },
  },
  redeliverWebhookDelivery: {
    method: "post",
    authorize: anywhere("webhooks:manage"),
    path: "/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    summary: "Send a delivered or failed delivery again: a new series of attempts with the same body and delivery id (admins)",
    params: deliveryPath,
    status: 202,
    response: deliverySchema,
    errors: {
      403: onlyAdmins,
      404: "The webhook or the delivery does not exist.",
      409: "The delivery is still pending (its retries are under way), or the webhook is inactive.",
    },
  },
} satisfies Record<string, Endpoint>;
