"use client";

import { Fragment, useState } from "react";
import { useServerAction } from "@/components/forms/use-server-action";
import { FormError } from "@/components/forms/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import { JsonDiff } from "./json-diff";

export type AuditEvent = {
  id: number;
  at: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  subject: { type: string; id: string };
  projectId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  /** Null until the sealer chains the event. */
  hash: string | null;
};
type AuditPage = { items: AuditEvent[]; nextCursor: string | null };

const actorTones = { user: "grey", token: "blue", system: "violet" } as const;

/** A readable name for the subject, from what the event recorded about it. */
function subjectName(event: AuditEvent): string | null {
  for (const side of [event.after, event.before]) {
    if (typeof side !== "object" || side === null) continue;
    const record = side as Record<string, unknown>;
    for (const key of ["ref", "name", "title", "email", "stage", "prefix"]) {
      if (typeof record[key] === "string") return record[key] as string;
    }
  }
  return null;
}

export function AuditTrail({
  projectId,
  initial,
  projectNames,
  loadPage,
}: {
  projectId?: string;
  initial: AuditPage;
  projectNames: Record<string, string>;
  loadPage: (input: { projectId?: string; cursor: string; limit: number }) => Promise<ActionResult<AuditPage>>;
}) {
  const [events, setEvents] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const { run, pending, error } = useServerAction(loadPage);

  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div>
      <Table aria-label="Audit events">
        <THead>
          <tr>
            <TH className="w-10">#</TH>
            <TH>Time</TH>
            <TH>Actor</TH>
            <TH>Action</TH>
            <TH>Subject</TH>
            <TH>Reason</TH>
            <TH className="text-right">Changes</TH>
          </tr>
        </THead>
        <tbody>
          {events.map((event) => {
            const name = subjectName(event);
            const expanded = open.has(event.id);
            const hasChanges = event.before != null || event.after != null;
            return (
              <Fragment key={event.id}>
                <TR data-testid="audit-event" className={expanded ? "border-b-0 bg-zinc-50" : undefined}>
                  <TD className="text-xs text-zinc-500 tabular-nums">
                    {event.id}
                    {event.hash === null ? (
                      <span className="block text-[10px] text-amber-700" title="Recorded moments ago; the sealer has not chained it to the trail yet">
                        unsealed
                      </span>
                    ) : null}
                  </TD>
                  <TD className="text-xs whitespace-nowrap text-zinc-600">
                    <Time iso={event.at} />
                  </TD>
                  <TD className="text-xs">
                    <span className="flex items-center gap-1.5">
                      <Badge tone={actorTones[event.actor.type as keyof typeof actorTones] ?? "grey"}>{event.actor.type}</Badge>
                      <span className="text-zinc-800">{event.actor.label}</span>
                    </span>
                  </TD>
                  <TD className="font-mono text-xs whitespace-nowrap text-zinc-900">{event.action}</TD>
                  <TD className="text-xs">
                    <span className="text-zinc-500">{event.subject.type.replaceAll("_", " ")}</span>{" "}
                    {name ? <span className="font-medium text-zinc-800">{name}</span> : <span className="font-mono text-zinc-500" title={event.subject.id}>
                        {/^[a-z0-9]{20,}$/.test(event.subject.id) ? event.subject.id.slice(0, 10) : event.subject.id}
                      </span>}
                    {!projectId && event.projectId ? <span className="block text-zinc-500">{projectNames[event.projectId] ?? "another project"}</span> : null}
                  </TD>
                  <TD className="max-w-sm text-xs text-zinc-600">{event.reason ?? ""}</TD>
                  <TD className="text-right">
                    {hasChanges ? (
                      <Button size="sm" variant="ghost" aria-expanded={expanded} onClick={() => toggle(event.id)}>
                        {expanded ? "Hide" : "Show"}
                        <span className="sr-only"> changes of event {event.id}</span>
                      </Button>
                    ) : (
                      <span className="text-xs text-zinc-500">—</span>
                    )}
                  </TD>
                </TR>
                {expanded ? (
                  <tr className="border-b border-zinc-100 bg-zinc-50">
                    <td colSpan={7} className="px-3 pb-3">
                      <JsonDiff before={event.before} after={event.after} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </Table>
      <div className="space-y-2 border-t border-zinc-100 px-4 py-3 text-center">
        <FormError error={error} />
        {cursor ? (
          <Button
            pending={pending}
            onClick={async () => {
              const result = await run({ projectId, cursor, limit: 50 });
              if (result.ok) {
                setEvents((current) => [...current, ...result.data.items]);
                setCursor(result.data.nextCursor);
              }
            }}
          >
            Load more
          </Button>
        ) : (
          <p className="text-xs text-zinc-500">{events.length === 0 ? "No events yet." : "That is the beginning of the trail."}</p>
        )}
      </div>
    </div>
  );
}
