import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCount, formatMs, formatUsd } from "@/components/format";
import { LiveRefresh } from "@/components/live/live-refresh";
import { PageError } from "@/components/page-error";
import { RunTimeline } from "@/components/runs/run-timeline";
import { StatusBadge } from "@/components/status/status-badge";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { pipelineFor } from "@/lib/pipeline/pipelines";
import { getProject } from "@/lib/projects/service";
import { runVersion } from "@/lib/runs/events";
import { runKeys } from "@/lib/runs/keys";
import { isFinalRun } from "@/lib/runs/schema";
import { getRun } from "@/lib/runs/views";
import { stageLabels } from "@/lib/stages/stages";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  // The version first: a change while the page loads then costs a refresh instead of being missed.
  const since = await runVersion(id);
  const run = await settle(getRun(actor, id));
  if (!run.ok) {
    if (run.error.code === "not_found") notFound();
    return <PageError error={run.error} />;
  }
  const project = await getProject(actor, run.data.projectId);
  const { stage, steps } = run.data;
  const calls = steps.flatMap((step) => step.calls);
  const tokensIn = steps.reduce((sum, step) => sum + step.inputTokens, 0);
  const tokensOut = steps.reduce((sum, step) => sum + step.outputTokens, 0);
  const started = run.data.startedAt ?? run.data.createdAt;
  const stageHref = `/projects/${run.data.projectId}/stages/${stage}`;

  return (
    <>
      {isFinalRun(run.data.status) ? null : <LiveRefresh src={`/api/v1/runs/${id}/events`} event="run" since={since} invalidate={[runKeys.all]} />}
      <PageHeader
        eyebrow={
          <>
            <Link href={`/projects/${run.data.projectId}`} className="hover:text-zinc-900 hover:underline">
              {project.name}
            </Link>{" "}
            ·{" "}
            <Link href={stageHref} className="hover:text-zinc-900 hover:underline">
              {stageLabels[stage]}
            </Link>
          </>
        }
        title={
          <span className="inline-flex items-center gap-3">
            Run of the {stageLabels[stage].toLowerCase()} stage
            <StatusBadge kind="run" status={run.data.status} />
          </span>
        }
        description="Every step of the run and every model call it made. Open a step for the exact messages sent, the raw responses and what was wrong with them. Traces quote the sources, so only people who may read the project see them."
        actions={
          <ButtonLink href={stageHref} size="sm">
            Back to the stage
          </ButtonLink>
        }
      />

      <dl className="mb-4 grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-zinc-200 bg-white px-4 py-3 text-sm shadow-xs sm:grid-cols-3 lg:grid-cols-6">
        <Figure label="Queued">
          <Time iso={run.data.createdAt} />
        </Figure>
        <Figure label="Finished">{run.data.finishedAt ? <Time iso={run.data.finishedAt} /> : "—"}</Figure>
        <Figure label="Took">
          {run.data.finishedAt ? formatMs(new Date(run.data.finishedAt).getTime() - new Date(started).getTime()) : "—"}
        </Figure>
        <Figure label="Cost">
          {formatUsd(run.data.costUsd)}
          {run.data.budgetUsd !== null ? <span className="text-zinc-500"> of {formatUsd(run.data.budgetUsd)} budget</span> : null}
        </Figure>
        <Figure label="Model calls">{formatCount(calls.length)}</Figure>
        <Figure label="Tokens in / out">
          {formatCount(tokensIn)} / {formatCount(tokensOut)}
        </Figure>
      </dl>

      {run.data.status === "blocked" ? (
        <Alert tone="warning" className="mb-4" title={`The run is paused: ${(run.data.blockedReason ?? "blocked").replaceAll("_", " ")}`}>
          <Detail value={run.data.blockedDetail} />
          <p className="mt-1">Raising the budget, or approving the overspend, resumes it.</p>
        </Alert>
      ) : null}
      {run.data.error ? (
        <Alert tone="danger" role="alert" className="mb-4" title="The run failed">
          {run.data.error}
        </Alert>
      ) : null}

      <Card>
        <CardHeader title="Steps and model calls" description="In the order they ran; times are from the start of the run." />
        <RunTimeline run={run.data} planned={pipelineFor(stage)?.steps ?? []} />
      </Card>
    </>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="tabular-nums text-zinc-900">{children}</dd>
    </div>
  );
}

/** The figures behind a block, whatever their shape: a flat object as "name: value" pairs. */
function Detail({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value)) return <p>{JSON.stringify(value)}</p>;
  return (
    <ul className="mt-1 space-y-0.5">
      {Object.entries(value).map(([name, field]) => (
        <li key={name}>
          <span className="font-medium">{name}</span>: {typeof field === "number" && /usd/i.test(name) ? formatUsd(field) : typeof field === "string" ? field : JSON.stringify(field)}
        </li>
      ))}
    </ul>
  );
}
