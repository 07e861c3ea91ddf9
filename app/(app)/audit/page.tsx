import type { Metadata } from "next";
import { AuditTrail } from "@/components/audit/audit-trail";
import { ChainStatus } from "@/components/audit/chain-status";
import { ProjectFilter } from "@/components/audit/project-filter";
import { PageError } from "@/components/page-error";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canDo } from "@/lib/access";
import { settle } from "@/lib/actions";
import { listAuditEvents, verifyAuditChain } from "@/lib/audit/service";
import { requireActor } from "@/lib/auth";
import { listProjects } from "@/lib/projects/service";
import { loadAuditPageAction } from "./actions";

export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ projectId?: string }> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const [projects, readAll] = await Promise.all([listProjects(actor), canDo(actor, "audit:readAll")]);
  const requested = params.projectId;
  const selected = requested && requested !== "all" ? requested : readAll ? "all" : projects[0]?.id;
  const header = (
    <PageHeader
      title="Audit trail"
      description="Every change in Countersign, newest first: who did it (a person, an API token or the system), what changed, and why. Moments after it is recorded, each event is sealed: chained to the one before by a hash, so edits to the trail show up."
    />
  );

  if (!selected) {
    return (
      <>
        {header}
        <EmptyState title="No project to show">You can read the audit trail of the projects you are a member of, and you are in none yet.</EmptyState>
      </>
    );
  }

  const projectId = selected === "all" ? undefined : selected;
  const [page, chain] = await Promise.all([
    settle(listAuditEvents(actor, { projectId, limit: 50 })),
    // From the last checkpoint: only events sealed since are re-hashed on a visit.
    readAll ? verifyAuditChain({ from: "checkpoint" }) : Promise.resolve(null),
  ]);

  return (
    <>
      {header}
      {chain ? <ChainStatus report={chain} /> : null}
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <ProjectFilter value={selected} projects={projects.map((p) => ({ id: p.id, name: p.name }))} allowAll={readAll} basePath="/audit" />
        {!readAll ? <p className="text-xs text-zinc-500">You see the trails of the projects you are a member of.</p> : null}
      </div>
      {page.ok ? (
        <Card>
          <AuditTrail
            key={selected}
            projectId={projectId}
            initial={page.data}
            projectNames={Object.fromEntries(projects.map((p) => [p.id, p.name]))}
            loadPage={loadAuditPageAction}
          />
        </Card>
      ) : (
        <PageError error={page.error} />
      )}
    </>
  );
}
