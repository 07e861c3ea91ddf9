"use server";

import { z } from "zod";
import { action, granted } from "@/lib/actions";
import { createWebhook, deleteWebhook, redeliver, updateWebhook } from "@/lib/webhooks/service";

const revalidate = ["/admin/webhooks"];
const id = z.string().trim().min(1).max(200);

// A form sends one checked event as a string and several as a list; the service's schema checks the names.
const checkedEvents = z.union([z.string(), z.array(z.string())]).optional().transform((events) => (events === undefined ? [] : [events].flat()));

export const createWebhookAction = action(
  z.object({ url: z.string(), events: checkedEvents }),
  granted("webhooks:manage"),
  async (actor, input) => {
    const created = await createWebhook(actor, input);
    return { id: created.id, url: created.url, events: created.events, secret: created.secret };
  },
  { revalidate },
);

export const setWebhookActiveAction = action(
  z.object({ webhookId: id, active: z.boolean() }),
  granted("webhooks:manage"),
  async (actor, { webhookId, active }) => {
    const updated = await updateWebhook(actor, webhookId, { active });
    return { id: updated.id, active: updated.active };
  },
  { revalidate },
);

export const deleteWebhookAction = action(
  z.object({ webhookId: id }),
  granted("webhooks:manage"),
  (actor, { webhookId }) => deleteWebhook(actor, webhookId),
  { revalidate },
);

export const redeliverWebhookAction = action(
  z.object({ webhookId: id, deliveryId: id }),
  granted("webhooks:manage"),
  async (actor, { webhookId, deliveryId }) => {
    const delivery = await redeliver(actor, webhookId, deliveryId);
    return { id: delivery.id, status: delivery.status };
  },
  { revalidate },
);
