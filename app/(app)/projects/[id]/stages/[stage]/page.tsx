import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageError } from "@/components/page-error";
import { ArtifactTable } from "@/components/stages/artifact-table";
import { LiveRefresh } from "@/components/live/live-refresh";
import { Findings } from "@/components/stages/findings";
import { StaleWork } from "@/components/stages/stale-work";
import { RunButton } from "@/components/stages/run-button";
import { RunList } from "@/components/stages/run-list";
import { SignOffPanel } from "@/components/stages/sign-off-panel";
import { StageAssignments } from "@/components/stages/stage-assignments";
import { StagePipeline } from "@/components/stages/stage-pipeline";
import { StatusBadge } from "@/components/status/status-badge";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { canDo } from "@/lib/access";
import { settle } from "@/lib/actions";
import { listArtifacts } from "@/lib/artifacts/service";
import { requireActor } from "@/lib/auth";
import { budgetBlock } from "@/lib/pipeline/schema";
import { activeRunStatuses, listRuns, runFindings } from "@/lib/pipeline/service";
import { pipelineFor } from "@/lib/pipeline/pipelines";
import { getProject } from "@/lib/projects/service";
import { listReviewItems } from "@/lib/review/service";
import { latestRunVersion } from "@/lib/runs/events";
import { isFinalRun } from "@/lib/runs/schema";
import { listSources } from "@/lib/sources/service";
import { listStages } from "@/lib/stages/service";
import { ownedStages, stageProgress, stageRedraft } from "@/lib/stages/views";
import { isStageKey, nextStageKey, stageKeys, stageLabels } from "@/lib/stages/stages";
import { listAssignableUsers } from "@/lib/users/service";
import { StageSlaForm } from "@/components/sla/stage-sla-form";
import { signOffStageAction, startRunAction, updateStageAssignmentsAction } from "../../../actions";

export async function generateMetadata({ params }: { params: Promise<{ stage: string }> }): Promise<Metadata> {
  const { stage } = await params;
  return { title: isStageKey(stage) ? `${stageLabels[stage]} stage` : "Stage" };
}

export default async function StagePage({ params }: { params: Promise<{ id: string; stage: string }> }) {
  const { id, stage: key } = await params;
  if (!isStageKey(key)) notFound();
  const actor = await requireActor();
  const project = await settle(getProject(actor, id));
  if (!project.ok) {
    if (project.error.code === "not_found") notFound();
    return <PageError error={project.error} />;
  }

  const scope = { projectId: id, stage: key };
  const mayAssignReviewers = await canDo(actor, "stages:assignReviewers", scope);
  // Before the page's data, so a change while it loads costs a refresh rather than being missed.
  const live = await latestRunVersion(id, key);
  const [stages, runs, projectArtifacts, sources, users, mayAssignOwner, mayStartRun, maySignOff, conflictItems, redraft, progress] = await Promise.all([
    listStages(actor, id),
    listRuns(actor, id, key),
    listArtifacts(actor, id, {}),
    listSources(actor, id),
    mayAssignReviewers ? listAssignableUsers(actor, scope) : [],
    canDo(actor, "stages:assignOwner", scope),
    canDo(actor, "runs:start", scope),
    canDo(actor, "stages:signOff", scope),
    // Open conflicts are the pending conflict items of the stage; a refusal (not a reviewer or owner) just shows none.
    settle(listReviewItems(actor, { projectId: id, stage: key, kind: "conflict", status: "pending", limit: 50 })),
    stageRedraft(actor, id, key),
    stageProgress(actor, id),
  ]);
  const artifacts = projectArtifacts.filter((artifact) => artifact.stage === key);
  const refs = Object.fromEntries(projectArtifacts.map((artifact) => [artifact.id, artifact.ref]));
  // The readiness rule as it applies to the owner (e.g. separation of duties), said before they try.
  const owned = maySignOff ? (await ownedStages(actor)).find((s) => s.projectId === id && s.key === key) : undefined;
  const openConflicts = conflictItems.ok ? conflictItems.data.items.flatMap((item) => (item.kind === "conflict" ? [item] : [])) : [];
  const stage = stages.find((s) => s.key === key)!;
  const position = stageKeys.indexOf(key);
  const previous = position > 0 ? stages[position - 1] : null;
  const next = nextStageKey(key);
  const steps = pipelineFor(key)?.steps ?? [];
  const latestRun = runs[0] ?? null;
  const drafting = latestRun !== null && (latestRun.status === "queued" || latestRun.status === "running");
  const activeRun = runs.find((run) => (activeRunStatuses as readonly string[]).includes(run.status)) ?? null;
  // What the latest run's steps found beyond single drafts (open questions, conflicts), once any step completed.
  const findings = latestRun?.steps.some((step) => step.status === "completed") ? await runFindings(actor, latestRun.id) : null;
  const redraftable = redraft.filter((item) => item.state !== "waiting");
  // Stale work resting on stale or undecided work of earlier stages is re-drafted after them: stages re-draft in order.
  const firstRedraft = stageKeys.filter((other) => redraft.some((item) => item.waitingOn.some((parent) => parent.stage === other && other !== key)));
  const pending = artifacts.filter((a) => a.status === "pending_review").length;
  const approved = artifacts.filter((a) => a.status === "approved" || a.status === "auto_approved").length;
  const sourceTitles = Object.fromEntries(sources.map((s) => [s.id, s.title]));
  const reviewHref = `/review?projectId=${encodeURIComponent(id)}&stage=${key}`;
  const runLabel = `Run ${stage.label.toLowerCase()} stage`;

  return (
    <>
      {latestRun && !isFinalRun(latestRun.status) ? (
        <LiveRefresh src={`/api/v1/runs/${latestRun.id}/events`} event="run" since={live?.runId === latestRun.id ? live.version : null} />
      ) : null}
      <PageHeader
        eyebrow={
          <>
            <Link href={`/projects/${id}`} className="hover:text-zinc-900 hover:underline">
              {project.data.name}
            </Link>{" "}
            · Stage {position + 1} of {stageKeys.length}
          </>
        }
        title={
          <span className="inline-flex items-center gap-3">
            {stage.label}
            <StatusBadge kind="stage" status={stage.status} />
          </span>
        }
        description={`AI drafts this stage's work from ${position === 0 ? "the project's sources" : "the approved, signed-off work of the stages before it"}; routing auto-approves only drafts whose measured chance of being right clears the policy's bound, and sends the rest to reviewers. The owner signs the stage off when nothing is pending.`}
        actions={
          pending > 0 ? (
            <ButtonLink href={reviewHref} variant="primary" size="sm">
              Review {pending} pending
            </ButtonLink>
          ) : null
        }
      />

      <div className="mb-5">
        <StagePipeline projectId={id} stages={stages} current={key} progress={progress} />
      </div>

      {stage.status === "locked" && previous ? (
        <Alert tone="warning" className="mb-4" title="This stage is locked">
          It opens when{" "}
          <Link href={`/projects/${id}/stages/${previous.key}`} className="font-medium underline">
            {previous.label}
          </Link>{" "}
          is signed off by its owner.
        </Alert>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          <Card>
            <CardHeader
              title="Runs"
              description="A run drafts, checks and routes; it pauses while people review, then continues with the approved items."
              actions={
                mayStartRun && stage.status === "open" && !activeRun && firstRedraft.length === 0 && !(redraft.length > 0 && redraftable.length === 0) ? (
                  <RunButton
                    projectId={id}
                    stage={key}
                    label={redraftable.length > 0 ? `Re-draft ${redraftable.length} stale` : latestRun ? "Run again" : runLabel}
                    startRun={startRunAction}
                  />
                ) : null
              }
            />
            {mayStartRun && stage.status === "open" && !activeRun && stage.reviewers.length === 0 ? (
              <CardBody className="border-b border-zinc-100" data-testid="no-reviewer-warning">
                <Alert tone="warning" title="Nobody reviews this stage yet">
                  You can run it, but every draft routing sends to people will wait with nobody to review it, and the stage cannot be
                  signed off until each is decided. {mayAssignReviewers ? "Name reviewers under People first." : "Ask the stage owner or an admin to name reviewers."}
                </Alert>
              </CardBody>
            ) : null}
            {stage.status === "open" && activeRun?.status === "waiting_review" ? (
              <CardBody className="border-b border-zinc-100">
                <Alert tone="warning">
                  The latest run is waiting for people: {pending} item{pending === 1 ? "" : "s"} pending.{" "}
                  <Link href={reviewHref} className="font-medium underline">
                    Review them
                  </Link>{" "}
                  and the run continues on its own.{" "}
                  <Link href={`/runs/${activeRun.id}`} className="font-medium underline">
                    See the run
                  </Link>
                </Alert>
              </CardBody>
            ) : null}
            {stage.status === "open" && activeRun?.status === "blocked" ? (
              <CardBody className="border-b border-zinc-100" data-testid="run-blocked">
                <Alert tone="warning" title="The latest run is blocked by a budget">
                  {budgetBlock(activeRun)?.message ?? activeRun.blockedReason}{" "}
                  <Link href={`/projects/${id}/budget`} className="font-medium underline">
                    Budget and approvals
                  </Link>
                </Alert>
              </CardBody>
            ) : null}
            {(firstRedraft.length > 0 || (redraft.length > 0 && redraftable.length === 0)) && stage.status === "open" && !activeRun ? (
              <CardBody className="border-b border-zinc-100" data-testid="redraft-waits">
                <Alert tone="info" title="Re-draft the earlier stages first">
                  Some of this stage&apos;s stale work rests on work that is stale itself or waits for a decision (listed below)
                  {firstRedraft.length > 0 ? (
                    <>
                      , in{" "}
                      {firstRedraft.map((other, index) => (
                        <span key={other}>
                          {index > 0 ? ", " : ""}
                          <Link href={`/projects/${id}/stages/${other}`} className="font-medium underline">
                            {stageLabels[other]}
                          </Link>
                        </span>
                      ))}
                    </>
                  ) : null}
                  . Re-run {firstRedraft.length === 1 ? "that stage" : "those stages"} and decide their drafts; then this stage re-drafts from the new work.
                </Alert>
              </CardBody>
            ) : latestRun && mayStartRun && stage.status === "open" && !activeRun ? (
              <p className="border-b border-zinc-100 px-4 py-2 text-xs text-zinc-500">
                {redraft.length > 0
                  ? "Running again re-drafts only the stale work below, from the current versions of what it was drafted from; everything else stays as it is."
                  : "Running again replaces the current drafts of this stage and withdraws their pending reviews."}
              </p>
            ) : null}
            {runs.length === 0 ? (
              <CardBody>
                <EmptyState title="No runs yet">
                  {stage.status !== "open"
                    ? "The stage can run once it is open."
                    : sources.length === 0
                      ? "Add at least one source on the project page first."
                      : mayStartRun
                        ? `Press “${runLabel}” to draft from ${position === 0 ? `${sources.length} source${sources.length === 1 ? "" : "s"}` : "the approved work of the stages before it"}.`
                        : stage.owner
                          ? `${stage.owner.name}, the stage owner, starts the first run.`
                          : "No one owns this stage yet. An admin names the owner under People; the owner then starts runs."}
                  <ol className="mt-3 space-y-1 text-left text-xs">
                    {steps.map((step, index) => (
                      <li key={step.key}>
                        <span className="font-medium text-zinc-700">
                          {index + 1}. {step.title}
                        </span>{" "}
                        ({step.kind}): {step.description}
                      </li>
                    ))}
                  </ol>
                </EmptyState>
              </CardBody>
            ) : (
              <RunList runs={runs} steps={steps} />
            )}
          </Card>

          {redraft.length > 0 ? <StaleWork items={redraft} refs={{ ...sourceTitles, ...refs }} /> : null}

          {openConflicts.length > 0 ? (
            <Card data-testid="open-conflicts">
              <CardHeader
                title={`Open conflicts (${openConflicts.length})`}
                description="Sources disagree. A reviewer resolves each by choosing the side to keep; the other side is rejected. The stage cannot be signed off until all are resolved."
                actions={
                  <ButtonLink href={reviewHref} size="sm" variant="primary">
                    Resolve in the queue
                  </ButtonLink>
                }
              />
              <ul className="divide-y divide-zinc-100">
                {openConflicts.map((conflict) => (
                  <li key={conflict.id} className="px-4 py-2.5" data-testid="open-conflict" data-ref={conflict.ref}>
                    <p className="text-sm text-zinc-900">
                      <span className="mr-1.5 font-mono text-xs font-semibold">{conflict.ref}</span>
                      {conflict.description}
                    </p>
                    <ul className="mt-1 space-y-0.5 text-xs text-zinc-600">
                      {conflict.sides.map((side, index) => (
                        <li key={side.artifactId ?? `passage:${index}`}>
                          {side.ref ? (
                            <>
                              <span className="font-mono">{side.ref}</span> ({side.citation.sourceTitle}): {side.statement}
                            </>
                          ) : (
                            <>
                              {side.citation.sourceTitle}: “{side.quote}”
                            </>
                          )}
                        </li>
                      ))}
                    </ul>
                    <Link href={reviewHref} className="mt-1 inline-block text-xs font-medium text-accent-700 underline">
                      Resolve {conflict.ref} in the review queue
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}

          {findings && latestRun ? (
            <Card>
              <CardHeader
                title={findings.conflicts.length > 0 ? "Conflicts and open questions" : "Open questions"}
                description="Found by the latest run's checks, about the work as a whole rather than one draft. Settle them with the people who know before signing off."
              />
              <Findings conflicts={findings.conflicts} openQuestions={findings.openQuestions} sourceTitles={sourceTitles} refs={refs} />
            </Card>
          ) : null}

        </div>

        <div className="space-y-4">
          <Card data-testid="sign-off-panel">
            <CardHeader title="Sign-off" description={stage.signOff ? "This stage is signed off." : "The owner's approval of the whole stage."} />
            <CardBody>
              <SignOffPanel
                projectId={id}
                stage={stage}
                maySignOff={maySignOff}
                blockers={{
                  pending,
                  drafting,
                  nothingApproved: approved === 0,
                  stale: redraft.map((item) => item.ref),
                  openConflicts: openConflicts.map((c) => ({ ref: c.ref, description: c.description })),
                  otherReason: owned?.blockedBy ?? null,
                }}
                nextStageLabel={next ? stageLabels[next] : null}
                signOffStage={signOffStageAction}
              />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="People" description="Who owns this stage and who reviews its drafts." />
            <CardBody className="space-y-3">
              {!mayAssignOwner || !mayAssignReviewers ? (
                <dl className="space-y-2 text-sm">
                  {!mayAssignOwner ? (
                    <div>
                      <dt className="text-xs text-zinc-500">Owner</dt>
                      <dd data-testid="stage-owner">
                        {stage.owner ? `${stage.owner.name} (${stage.owner.email})` : <span className="text-amber-700">No owner yet</span>}
                      </dd>
                    </div>
                  ) : null}
                  {!mayAssignReviewers ? (
                    <div>
                      <dt className="text-xs text-zinc-500">Reviewers</dt>
                      <dd data-testid="stage-reviewers">
                        {stage.reviewers.length > 0 ? (
                          stage.reviewers.map((r) => r.name).join(", ")
                        ) : (
                          <span className="text-amber-700">No reviewers yet</span>
                        )}
                      </dd>
                    </div>
                  ) : null}
                </dl>
              ) : null}
              {mayAssignOwner || mayAssignReviewers ? (
                <div className={!mayAssignOwner || !mayAssignReviewers ? "border-t border-zinc-100 pt-3" : undefined}>
                  <StageAssignments
                    projectId={id}
                    stage={key}
                    users={users}
                    owner={stage.owner?.email ?? null}
                    reviewers={stage.reviewers.map((r) => r.email)}
                    mayAssignOwner={mayAssignOwner}
                    mayAssignReviewers={mayAssignReviewers}
                    updateAssignments={updateStageAssignmentsAction}
                  />
                </div>
              ) : null}
              {mayAssignReviewers ? (
                <div className="border-t border-zinc-100 pt-3">
                  <h3 className="mb-1 text-xs font-semibold text-zinc-700">Review SLA</h3>
                  <StageSlaForm projectId={id} stage={key} sla={stage.sla} users={users} mayAssignFallbackOwner={mayAssignOwner} updateSla={updateStageAssignmentsAction} />
                </div>
              ) : null}
            </CardBody>
          </Card>
        </div>
      </div>

      <Card className="mt-4">
        <CardHeader
          title={`Artifacts (${artifacts.length})`}
          description={`${approved} approved or auto-approved · ${pending} pending review · ${redraft.length} stale · ${artifacts.filter((a) => a.status === "rejected").length} rejected`}
        />
        {artifacts.length === 0 ? (
          <CardBody>
            <p className="text-sm text-zinc-500">Nothing drafted yet. What a run drafts in this stage appears here.</p>
          </CardBody>
        ) : (
          <ArtifactTable artifacts={artifacts} />
        )}
      </Card>
    </>
  );
}
