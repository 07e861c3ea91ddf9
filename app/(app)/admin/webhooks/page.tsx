import type { Metadata } from "next";
import { PageError } from "@/components/page-error";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { RedeliverButton, WebhookControls } from "@/components/webhooks/webhook-controls";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { MAX_ATTEMPTS } from "@/lib/webhooks/delivery";
import { webhookEventDescriptions, webhookEventNames, type DeliveryStatus } from "@/lib/webhooks/schema";
import { listDeliveries, listWebhooks, type DeliveryView } from "@/lib/webhooks/service";
import { createWebhookAction, deleteWebhookAction, redeliverWebhookAction, setWebhookActiveAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const RECENT_DELIVERIES = 20;
const statusTone: Record<DeliveryStatus, BadgeTone> = { pending: "amber", delivered: "green", failed: "red" };
const events = webhookEventNames.map((name) => ({ name, description: webhookEventDescriptions[name] }));

export default async function WebhooksPage() {
  const actor = await requireActor();
  const webhooks = await settle(listWebhooks(actor));
  if (!webhooks.ok) return <PageError error={webhooks.error} />;
  const deliveries = await Promise.all(webhooks.data.map((webhook) => listDeliveries(actor, webhook.id, { limit: RECENT_DELIVERIES })));

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={`Tell other systems what happens here. Each event goes to the endpoints subscribed to it as a signed JSON POST; an answer other than 2xx is retried with growing waits, up to ${MAX_ATTEMPTS} attempts over about an hour. Endpoints on private networks are allowed, so only register ones you trust.`}
      />
      <Card className="mb-4">
        <CardHeader title="Register a webhook" description="The signing secret is shown once, right after you register." />
        <CardBody>
          <CreateWebhookForm events={events} createWebhook={createWebhookAction} />
        </CardBody>
      </Card>
      {webhooks.data.length === 0 ? (
        <Card>
          <CardBody>
            <p className="text-sm text-zinc-600">No webhooks yet.</p>
          </CardBody>
        </Card>
      ) : (
        <div className="space-y-4">
          {webhooks.data.map((webhook, index) => (
            <Card key={webhook.id} aria-label={`Webhook to ${webhook.url}`} data-testid="webhook">
              <CardHeader
                title={<span className="font-mono text-xs break-all">{webhook.url}</span>}
                description={
                  <>
                    Registered <Time iso={webhook.createdAt} />
                    {webhook.createdBy ? ` by ${webhook.createdBy}` : ""}
                  </>
                }
                actions={
                  <WebhookControls webhookId={webhook.id} url={webhook.url} active={webhook.active} setActive={setWebhookActiveAction} remove={deleteWebhookAction} />
                }
              />
              <CardBody className="flex flex-wrap items-center gap-1.5">
                {webhook.active ? <Badge tone="green">Active</Badge> : <Badge tone="grey">Paused</Badge>}
                {webhook.events.map((event) => (
                  <Badge key={event} tone="blue">
                    {event}
                  </Badge>
                ))}
              </CardBody>
              <Deliveries webhookId={webhook.id} url={webhook.url} deliveries={deliveries[index].items} />
            </Card>
          ))}
        </div>
      )}
    </>
  );
}

function Deliveries({ webhookId, url, deliveries }: { webhookId: string; url: string; deliveries: DeliveryView[] }) {
  if (deliveries.length === 0) {
    return (
      <CardBody className="border-t border-zinc-200">
        <p className="text-xs text-zinc-600">No deliveries yet.</p>
      </CardBody>
    );
  }
  return (
    <Table aria-label={`Recent deliveries to ${url}`}>
      <THead>
        <tr>
          <TH>Event</TH>
          <TH>Status</TH>
          <TH>Attempts</TH>
          <TH>Created</TH>
          <TH className="text-right">
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <tbody>
        {deliveries.map((delivery) => (
          <TR key={delivery.id} data-testid="webhook-delivery">
            <TD>
              <p className="font-mono text-xs">{delivery.event}</p>
              <p className="font-mono text-[11px] text-zinc-600">{delivery.id}</p>
            </TD>
            <TD>
              <Badge tone={statusTone[delivery.status]}>{delivery.status}</Badge>
              {delivery.status === "pending" && delivery.nextAttemptAt ? (
                <p className="mt-1 text-xs text-zinc-600">
                  next attempt <Time iso={delivery.nextAttemptAt} />
                </p>
              ) : null}
            </TD>
            <TD className="text-xs">
              {delivery.attemptsMade.length === 0 ? (
                <span className="text-zinc-600">none yet</span>
              ) : (
                <details>
                  <summary className="cursor-pointer text-accent-700">
                    {delivery.attempts} · last {delivery.lastStatusCode ?? "no answer"}
                  </summary>
                  <ol className="mt-1 space-y-0.5" aria-label={`Attempts of delivery ${delivery.id}`}>
                    {delivery.attemptsMade.map((attempt) => (
                      <li key={attempt.attempt}>
                        #{attempt.attempt}: {attempt.statusCode ?? "no answer"} in {attempt.durationMs} ms · <Time iso={attempt.at} />
                        {attempt.error ? <span className="block text-red-700">{attempt.error}</span> : null}
                      </li>
                    ))}
                  </ol>
                  {/* Focusable so a keyboard can scroll a long body. */}
                  <pre
                    tabIndex={0}
                    aria-label={`Body of delivery ${delivery.id}`}
                    className="mt-2 max-w-md overflow-x-auto rounded-md bg-zinc-50 p-2 font-mono text-[11px] text-zinc-800"
                  >
                    {delivery.body}
                  </pre>
                </details>
              )}
            </TD>
            <TD className="text-xs text-zinc-600">
              <Time iso={delivery.createdAt} />
            </TD>
            <TD className="text-right">
              {delivery.status === "pending" ? null : <RedeliverButton webhookId={webhookId} deliveryId={delivery.id} redeliver={redeliverWebhookAction} />}
            </TD>
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
