import { z } from "zod";

/**
 * The contracts of webhooks: what an admin registers (an http(s) URL and the events it wants),
 * what a change to one looks like, and the event names a delivery can carry.
 */
export const webhookEventNames = [
  "review_item.routed",
  "review_item.decided",
  "stage.signed_off",
  "artifact.stale",
  "sla.escalated",
] as const;

/** What each event reports, for the admin page and the API description. */
export const webhookEventDescriptions: Record<(typeof webhookEventNames)[number], string> = {
  "review_item.routed": "A draft or a conflict was sent to people for review.",
  "review_item.decided": "A reviewer approved, edited, rejected or resolved an item.",
  "stage.signed_off": "A stage owner signed a stage off.",
  "artifact.stale": "Work became stale because something it derives from changed.",
  "sla.escalated": "An item waited past its stage's SLA and was escalated.",
};

export const webhookEventSchema = z.enum(webhookEventNames, {
  error: `an event is one of ${webhookEventNames.join(", ")}`,
});

/**
 * An absolute http or https URL without credentials in it (a password in the URL would be
 * stored and listed in plain text; the signature is how a receiver knows the sender). Private
 * and loopback addresses are allowed on purpose: see lib/webhooks/delivery.ts.
 */
export const webhookUrlSchema = z
  .string({ error: "url must be text" })
  .trim()
  .min(1, "url is required")
  .max(2000, "use at most 2000 characters for the url")
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "url must be an absolute URL such as https://example.com/hooks/countersign" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      context.addIssue({ code: "custom", message: `url must use http or https, not ${url.protocol.replace(/:$/, "")}` });
    } else if (url.username || url.password) {
      context.addIssue({ code: "custom", message: "url must not contain a user name or password; receivers check the signature instead" });
    }
  });

const eventListSchema = z
  .array(webhookEventSchema, { error: "events must be a list of event names" })
  .min(1, "choose at least one event")
  .max(webhookEventNames.length)
  .overwrite((events) => [...new Set(events)]);

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: eventListSchema,
});
export type CreateWebhookInput = z.input<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .strictObject({
    events: eventListSchema.optional(),
    active: z.boolean({ error: "active must be true or false" }).optional(),
  })
  .refine((value) => value.events !== undefined || value.active !== undefined, { message: "change events or active (or both)" });
export type UpdateWebhookInput = z.input<typeof updateWebhookSchema>;

export const deliveryStatuses = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** Newest first; the cursor is the id of the last delivery of the previous page. */
export const deliveryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type DeliveryQuery = z.input<typeof deliveryQuerySchema>;
