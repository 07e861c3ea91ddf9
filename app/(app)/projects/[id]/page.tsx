import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageError } from "@/components/page-error";
import { AddSourceForm } from "@/components/sources/add-source-form";
import { SourceList } from "@/components/sources/source-list";
import { EveryStagePeople } from "@/components/stages/every-stage-people";
import { StagePipeline } from "@/components/stages/stage-pipeline";
import { ProjectTools } from "@/components/traceability/project-tools";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { canDo } from "@/lib/access";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { getProject } from "@/lib/projects/service";
import { sourceKindLabels, uploadExtensionsText } from "@/lib/sources/schema";
import { listSourceSummaries, sourceUsage } from "@/lib/sources/service";
import { listStages } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";
import { stageProgress } from "@/lib/stages/views";
import { listAssignableUsers } from "@/lib/users/service";
import { addSourceAction, assignEveryStageAction, removeSourceAction, sourceTextAction, updateSourceAction } from "../actions";

export const metadata: Metadata = { title: "Project" };

/** Sources listed before "Show all": a long list is read by its newest few, and hundreds of rows made the page slow. */
const SOURCES_SHOWN = 25;

export default async function ProjectPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const showAllSources = (await searchParams).sources === "all";
  const actor = await requireActor();
  const project = await settle(getProject(actor, id));
  if (!project.ok) {
    if (project.error.code === "not_found") notFound();
    return <PageError error={project.error} />;
  }
  const [stages, sources, mayAddSources, mayAssignOwners, progress, usage, mayAssignReviewers] = await Promise.all([
    listStages(actor, id),
    listSourceSummaries(actor, id),
    canDo(actor, "sources:write", { projectId: id }),
    canDo(actor, "stages:assignOwner", { projectId: id }),
    stageProgress(actor, id),
    sourceUsage(actor, id),
    Promise.all(stageKeys.map((stage) => canDo(actor, "stages:assignReviewers", { projectId: id, stage }))).then((all) => all.every(Boolean)),
  ]);
  const users = mayAssignReviewers ? await listAssignableUsers(actor, { projectId: id, stage: stageKeys[0] }) : [];
  const kinds = Object.entries(sourceKindLabels).map(([value, label]) => ({ value: value as keyof typeof sourceKindLabels, label }));
  const unreviewed = stages.filter((stage) => stage.reviewers.length === 0);
  const commonReviewers = stages.reduce<string[]>(
    (common, stage, index) => (index === 0 ? stage.reviewers.map((r) => r.email) : common.filter((email) => stage.reviewers.some((r) => r.email === email))),
    [],
  );

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
        actions={<ProjectTools projectId={id} />}
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
        <StagePipeline projectId={id} stages={stages} progress={progress} />
        {unreviewed.length > 0 ? (
          <p className="mt-2 text-xs text-amber-800" data-testid="stages-without-reviewers">
            {unreviewed.length === stages.length ? "No stage has" : `${unreviewed.map((stage) => stage.label).join(", ")} ${unreviewed.length === 1 ? "has" : "have"} no`} reviewers yet:
            drafts sent to people there would wait with nobody to decide them.
            {mayAssignReviewers ? " Name them for every stage at once under People for every stage, below." : ""}
          </p>
        ) : null}
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
            <SourceList
              projectId={id}
              sources={showAllSources ? sources : sources.slice(-SOURCES_SHOWN)}
              kindLabels={sourceKindLabels}
              quotedBy={usage.quotedBy}
              loadText={sourceTextAction}
              manage={
                mayAddSources
                  ? { projectId: id, signedOff: usage.signedOff, kinds, updateSource: updateSourceAction, removeSource: removeSourceAction, loadText: sourceTextAction }
                  : undefined
              }
            />
          )}
          {sources.length > SOURCES_SHOWN ? (
            <div className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-600">
              {showAllSources ? (
                <Link href={`/projects/${id}`} className="font-medium text-zinc-900 underline">
                  Show the newest {SOURCES_SHOWN} only
                </Link>
              ) : (
                <>
                  The newest {SOURCES_SHOWN} of {sources.length}.{" "}
                  <Link href={`/projects/${id}?sources=all`} className="font-medium text-zinc-900 underline" data-testid="show-all-sources">
                    Show all {sources.length} sources
                  </Link>
                </>
              )}
            </div>
          ) : null}
        </Card>
        {mayAddSources || mayAssignReviewers ? (
          <div className="space-y-4 lg:col-span-2">
            {mayAddSources ? (
              <Card>
                <CardHeader title="Add source" description={`Paste text, or upload a ${uploadExtensionsText} file.`} />
                <CardBody>
                  <AddSourceForm projectId={id} addSource={addSourceAction} kinds={kinds} />
                </CardBody>
              </Card>
            ) : null}
            {mayAssignReviewers ? (
              <Card data-testid="every-stage-people">
                <CardHeader
                  title="People for every stage"
                  description="One owner and one set of reviewers for all seven stages at once. Each stage's own People card can still change them one by one."
                />
                <CardBody>
                  <EveryStagePeople
                    projectId={id}
                    users={users}
                    mayAssignOwner={mayAssignOwners}
                    commonReviewers={commonReviewers}
                    assign={assignEveryStageAction}
                  />
                </CardBody>
              </Card>
            ) : null}
          </div>
        ) : null}
      </div>
    </>
  );
}
