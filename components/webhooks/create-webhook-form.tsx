"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";

type Created = { id: string; url: string; events: string[]; secret: string };

/** Registers an endpoint and shows its signing secret this once. */
export function CreateWebhookForm({
  events,
  createWebhook,
}: {
  events: readonly { name: string; description: string }[];
  createWebhook: (form: FormData) => Promise<ActionResult<Created>>;
}) {
  const [created, setCreated] = useState<Created | null>(null);
  const { onSubmit, pending, error } = useActionForm(createWebhook, { beforeSubmit: () => setCreated(null), onSuccess: setCreated });
  const eventsError = fieldError(error, "events");
  return (
    <div className="space-y-4">
      <form aria-label="Register a webhook" className="space-y-3" onSubmit={onSubmit}>
        <Field
          label="Endpoint URL"
          htmlFor="webhook-url"
          hint="http or https. Each event is POSTed to it as JSON, signed with the secret you get next."
          error={fieldError(error, "url")}
        >
          <Input id="webhook-url" name="url" type="url" required maxLength={2000} placeholder="https://example.com/hooks/countersign" autoComplete="off" />
        </Field>
        <fieldset aria-describedby={eventsError ? "webhook-events-error" : undefined}>
          <legend className="text-xs font-medium text-zinc-700">Events</legend>
          <ul className="mt-1 grid gap-1 sm:grid-cols-2">
            {events.map((event) => (
              <li key={event.name}>
                <Checkbox name="events" value={event.name} label={<span className="font-mono text-xs">{event.name}</span>} />
                <p className="ml-6 text-xs text-zinc-500">{event.description}</p>
              </li>
            ))}
          </ul>
          {eventsError ? (
            <p id="webhook-events-error" className="mt-1 text-xs text-red-700 first-letter:uppercase" role="alert">
              {eventsError}
            </p>
          ) : null}
        </fieldset>
        <FormError error={error} inline={["url", "events"]} />
        <Button type="submit" variant="primary" pending={pending} data-testid="create-webhook">
          Register webhook
        </Button>
      </form>
      {created ? <NewSecret webhook={created} onDone={() => setCreated(null)} /> : null}
    </div>
  );
}

function NewSecret({ webhook, onDone }: { webhook: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "blocked" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(webhook.secret);
      setCopied("yes");
    } catch {
      setCopied("blocked");
    }
  };
  return (
    <section aria-label="New webhook secret" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="webhook-secret">
      <p className="text-sm font-semibold text-emerald-900">Webhook registered. Copy its signing secret now: it is shown only this once.</p>
      <p className="mt-1 text-xs text-emerald-900">
        Each delivery carries <code>X-Countersign-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</code> keyed with this secret. Compute it over the body
        exactly as received and compare in constant time.
      </p>
      <div className="mt-2 flex items-center gap-2">
        <code className="block min-w-0 flex-1 truncate rounded-md border border-emerald-200 bg-white px-2.5 py-1.5 font-mono text-[13px] text-zinc-900" aria-label="Webhook secret">
          {webhook.secret}
        </code>
        <Button size="sm" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "blocked" ? <p className="mt-2 text-xs text-red-700">The browser blocked the clipboard; select the text and copy it by hand.</p> : null}
      <Button size="sm" variant="ghost" className="mt-3" onClick={onDone}>
        I have copied it
      </Button>
    </section>
  );
}
