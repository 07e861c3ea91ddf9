"use client";

import { useState } from "react";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";

type SetActive = (input: { webhookId: string; active: boolean }) => Promise<ActionResult<{ id: string; active: boolean }>>;
type Delete = (input: { webhookId: string }) => Promise<ActionResult<{ id: string }>>;
type Redeliver = (input: { webhookId: string; deliveryId: string }) => Promise<ActionResult<{ id: string; status: string }>>;

/** Pause or resume a webhook, or remove it (two clicks: its deliveries go with it). */
export function WebhookControls({ webhookId, url, active, setActive, remove }: { webhookId: string; url: string; active: boolean; setActive: SetActive; remove: Delete }) {
  const [confirming, setConfirming] = useState(false);
  const toggle = useServerAction(setActive);
  const deletion = useServerAction(remove);
  const error = toggle.error ?? deletion.error;
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {error ? (
        <span className="text-xs text-red-700" role="alert">
          {error.message}
        </span>
      ) : null}
      <Button size="sm" pending={toggle.pending} onClick={() => toggle.run({ webhookId, active: !active })}>
        {active ? "Pause" : "Resume"}
        <span className="sr-only"> deliveries to {url}</span>
      </Button>
      {confirming ? (
        <>
          <Button size="sm" variant="danger" pending={deletion.pending} onClick={() => deletion.run({ webhookId })}>
            Delete it and its deliveries
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Keep
          </Button>
        </>
      ) : (
        <Button size="sm" variant="danger" onClick={() => setConfirming(true)}>
          Delete<span className="sr-only"> the webhook to {url}</span>
        </Button>
      )}
    </span>
  );
}

/** Sends a settled delivery again, with the same body and delivery id. */
export function RedeliverButton({ webhookId, deliveryId, redeliver }: { webhookId: string; deliveryId: string; redeliver: Redeliver }) {
  const { run, pending, error, result } = useServerAction(redeliver);
  return (
    <span className="inline-flex items-center gap-2">
      {error ? (
        <span className="text-xs text-red-700" role="alert">
          {error.message}
        </span>
      ) : result?.ok ? (
        <span className="text-xs text-zinc-600" role="status">
          Queued
        </span>
      ) : null}
      <Button size="sm" pending={pending} onClick={() => run({ webhookId, deliveryId })} data-testid="redeliver">
        Redeliver<span className="sr-only"> delivery {deliveryId}</span>
      </Button>
    </span>
  );
}
