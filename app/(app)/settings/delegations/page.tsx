import type { Metadata } from "next";
import { DelegationForm } from "@/components/delegations/delegation-form";
import { RevokeDelegationButton } from "@/components/delegations/revoke-delegation-button";
import { PageError } from "@/components/page-error";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import type { DelegationState } from "@/lib/delegations/schema";
import { delegableStages, listDelegations } from "@/lib/delegations/service";
import { stageLabels } from "@/lib/stages/stages";
import { createDelegationAction, revokeDelegationAction } from "./actions";

export const metadata: Metadata = { title: "Delegations" };

const stateBadge: Record<DelegationState, { tone: BadgeTone; label: string }> = {
  scheduled: { tone: "blue", label: "Scheduled" },
  active: { tone: "green", label: "Active" },
  ended: { tone: "grey", label: "Ended" },
  revoked: { tone: "red", label: "Revoked" },
};

export default async function DelegationsPage() {
  const actor = await requireActor();
  const [delegations, delegable] = await Promise.all([settle(listDelegations(actor)), settle(delegableStages(actor))]);
  if (!delegations.ok) return <PageError error={delegations.error} />;
  if (!delegable.ok) return <PageError error={delegable.error} />;
  const projectNames = new Map(delegable.data.map((project) => [project.id, project.name]));
  return (
    <>
      <PageHeader
        title="Delegations"
        description="Out of office? Hand your stage roles (owner, reviewer) to a colleague for a time window. While it lasts they can decide and sign off as you could, and every decision they make says it was on your behalf. Nothing else changes, and you can end it at any time."
      />
      <Card className="mb-4">
        <CardHeader title="Delegate your roles" />
        <CardBody>
          <DelegationForm projects={delegable.data} createDelegation={createDelegationAction} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={actor.role === "admin" ? "All delegations" : "Delegations you gave or hold"} />
        {delegations.data.length === 0 ? (
          <CardBody>
            <p className="text-sm text-zinc-600">No delegations yet.</p>
          </CardBody>
        ) : (
          <Table aria-label="Delegations">
            <THead>
              <tr>
                <TH>From</TH>
                <TH>To</TH>
                <TH>Scope</TH>
                <TH>Window</TH>
                <TH>Status</TH>
                <TH className="text-right">
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <tbody>
              {delegations.data.map((delegation) => (
                <TR key={delegation.id} data-testid="delegation-row">
                  <TD>{delegation.from.name}</TD>
                  <TD>{delegation.to.name}</TD>
                  <TD className="text-xs text-zinc-700">
                    {delegation.projectId ? (projectNames.get(delegation.projectId) ?? "One project") : "Every project"}
                    {delegation.stageKey ? ` · ${stageLabels[delegation.stageKey]}` : ""}
                    {delegation.reason ? <span className="block text-zinc-600">“{delegation.reason}”</span> : null}
                  </TD>
                  <TD className="text-xs text-zinc-700">
                    <Time iso={delegation.startsAt} /> – <Time iso={delegation.endsAt} />
                  </TD>
                  <TD>
                    <Badge tone={stateBadge[delegation.state].tone}>{stateBadge[delegation.state].label}</Badge>
                  </TD>
                  <TD className="text-right">
                    {delegation.state === "active" || delegation.state === "scheduled" ? (
                      <RevokeDelegationButton delegationId={delegation.id} label={`delegation to ${delegation.to.name}`} revokeDelegation={revokeDelegationAction} />
                    ) : null}
                  </TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
