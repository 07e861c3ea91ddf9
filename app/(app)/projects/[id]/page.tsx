import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageError } from "@/components/page-error";
import { AddSourceForm } from "@/components/sources/add-source-form";
import { SourceList } from "@/components/sources/source-list";
import { StagePipeline } from "@/components/stages/stage-pipeline";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { canDo } from "@/lib/access";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { getProject } from "@/lib/projects/service";
import { sourceKindLabels } from "@/lib/sources/schema";
import { listSources } from "@/lib/sources/service";
import { listStages } from "@/lib/stages/service";
import { addSourceAction } from "../actions";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const project = await settle(getProject(actor, id));
  if (!project.ok) {
    if (project.error.code === "not_found") notFound();
    return <PageError error={project.error} />;
  }
  const [stages, sources, mayAddSources, mayAssignOwners] = await Promise.all([
    listStages(actor, id),
    listSources(actor, id),
    canDo(actor, "sources:write", { projectId: id }),
    canDo(actor, "stages:assignOwner", { projectId: id }),
  ]);

  return (
    <>
      <PageHeader
        eyebrow={
          <>
            Project · created <Time iso={project.data.createdAt} dateOnly />
          </>
        }
        title={project.data.name}
        description={project.data.brief || "No brief yet."}
      />

      <section aria-labelledby="stages-heading" className="mb-6">
        <div className="mb-2 flex items-baseline justify-between">
          <h2 id="stages-heading" className="text-sm font-semibold text-zinc-900">
            Stages
          </h2>
          <p className="text-xs text-zinc-500">Each stage unlocks when its owner signs off the one before. Open a stage to run it or sign it off.</p>
        </div>
        {stages.some((stage) => !stage.owner) ? (
          <Alert tone="warning" className="mb-3" title="Some stages have no owner yet">
            {mayAssignOwners
              ? "Open a stage to name its owner (who runs it and signs it off) and its reviewers (who decide the drafts)."
              : "An admin names each stage's owner and reviewers. Until then, nobody can run or sign off those stages."}
          </Alert>
        ) : null}
        <StagePipeline projectId={id} stages={stages} />
      </section>

      <div className="grid gap-4 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader
            title={`Sources (${sources.length})`}
            description="Stakeholder notes, interviews, emails. The AI drafts requirements only from these, and every requirement cites them."
          />
          {sources.length === 0 ? (
            <CardBody>
              <EmptyState title="No sources yet">Add the notes you have; the Requirements stage needs at least one source to run.</EmptyState>
            </CardBody>
          ) : (
            <SourceList sources={sources} kindLabels={sourceKindLabels} />
          )}
        </Card>
        {mayAddSources ? (
          <Card className="lg:col-span-2">
            <CardHeader title="Add source" description="Paste text, or upload a .md or .txt file." />
            <CardBody>
              <AddSourceForm
                projectId={id}
                addSource={addSourceAction}
                kinds={Object.entries(sourceKindLabels).map(([value, label]) => ({ value, label }))}
              />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
