import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReviseForm } from "@/components/artifacts/revise-form";
import { VersionHistory } from "@/components/artifacts/version-history";
import { PageError } from "@/components/page-error";
import { ArtifactContent } from "@/components/review/content";
import { StatusBadge } from "@/components/status/status-badge";
import { ArtifactChip } from "@/components/traceability/artifact-chip";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { settle } from "@/lib/actions";
import { artifactDetail, type ArtifactDetail } from "@/lib/artifacts/detail";
import { requireActor } from "@/lib/auth";
import { kindDefinition, presentationOf } from "@/lib/kinds/registry";
import { getProject } from "@/lib/projects/service";
import { stageLabels } from "@/lib/stages/stages";
import { reviseArtifactAction } from "./actions";

export const metadata: Metadata = { title: "Artifact" };

/** A reason as a sentence of its own: it ends in a full stop. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

const decided = { approve: "Approved", edit: "Edited", reject: "Rejected", resolve: "Resolved" } as const;

export default async function ArtifactPage({ params }: { params: Promise<{ id: string; artifactId: string }> }) {
  const { id, artifactId } = await params;
  const actor = await requireActor();
  const [project, detail] = await Promise.all([settle(getProject(actor, id)), settle(artifactDetail(actor, id, artifactId))]);
  if (!project.ok || !detail.ok) {
    const error = !project.ok ? project.error : (detail as Extract<typeof detail, { ok: false }>).error;
    if (error.code === "not_found") notFound();
    return <PageError error={error} />;
  }
  const artifact = detail.data;
  const presentation = presentationOf(kindDefinition(artifact.kind));
  const references = Object.fromEntries([...artifact.parents, ...artifact.children].map((relative) => [relative.id, relative.ref]));

  return (
    <>
      <header className="mb-5">
        <p className="mb-1 text-xs text-zinc-500">
          <Link href={`/projects/${id}`} className="hover:text-zinc-900 hover:underline">
            {project.data.name}
          </Link>{" "}
          ·{" "}
          <Link href={`/projects/${id}/stages/${artifact.stage}`} className="hover:text-zinc-900 hover:underline">
            {stageLabels[artifact.stage]}
          </Link>{" "}
          ·{" "}
          <Link href={`/projects/${id}/traceability`} className="hover:text-zinc-900 hover:underline">
            Traceability
          </Link>
        </p>
        <h1 className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xl font-semibold tracking-tight text-zinc-900">
          <span className="font-mono">{artifact.ref}</span>
          <StatusBadge kind="artifact" status={artifact.status} />
          <span className="text-sm font-normal text-zinc-500">
            {presentation.label}, version {artifact.version}
          </span>
        </h1>
        {artifact.summary ? <p className="mt-1 max-w-3xl text-sm text-zinc-600">{artifact.summary}</p> : null}
      </header>

      {artifact.stale ? (
        <Alert tone="warning" className="mb-4" title="Stale: something it was drafted from changed">
          {sentence(artifact.staleReason ?? "Work it rests on changed")} Re-running the {stageLabels[artifact.stage]} stage re-drafts it, or its owner revises it here.
        </Alert>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          <Card>
            <CardHeader title="Content" description={`Version ${artifact.version}, as it stands.`} />
            <CardBody>
              <ArtifactContent presentation={presentation} content={artifact.content} refs={references} />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title={`Versions (${artifact.versions.length})`} description="Newest first; each later version shows what it changed, word by word." />
            <VersionHistory versions={artifact.versions} current={artifact.version} />
          </Card>

          <Card>
            <CardHeader title="Decisions" description="Who decided each version in the review queue." />
            {artifact.decisions.length === 0 ? (
              <CardBody>
                <p className="text-sm text-zinc-500">
                  {artifact.status === "auto_approved" ? "Nobody decided it: routing auto-approved it." : "No decision yet."}
                </p>
              </CardBody>
            ) : (
              <ul className="divide-y divide-zinc-100" aria-label="Decisions">
                {artifact.decisions.map((decision, index) => (
                  <li key={index} className="px-4 py-2.5 text-sm text-zinc-800">
                    <span className="font-medium">{decided[decision.action]}</span> version {decision.version} · {decision.by.name}
                    {decision.onBehalfOf ? ` on behalf of ${decision.onBehalfOf.name}` : ""} · <Time iso={decision.at} />
                    {decision.undone ? <span className="ml-1 text-xs text-zinc-500">(undone)</span> : null}
                    {decision.comment ? <p className="mt-0.5 text-[13px] text-zinc-600">“{decision.comment}”</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>

        <div className="space-y-4">
          {artifact.mayRevise ? (
            <Card data-testid="revise-panel">
              <CardHeader title="Revise" description="As the stage owner, you can change approved work." />
              <CardBody>
                <ReviseForm artifactId={artifact.id} presentation={presentation} content={artifact.content} blocked={artifact.revisionBlocked} revise={reviseArtifactAction} />
              </CardBody>
            </Card>
          ) : null}
          <Relatives projectId={id} title="Drafted from" empty="Nothing: it was drafted from the project's sources." relatives={artifact.parents} testId="artifact-parents" />
          <Relatives projectId={id} title="Drafted from it" empty="Nothing has been drafted from it yet." relatives={artifact.children} testId="artifact-children" />
        </div>
      </div>
    </>
  );
}

function Relatives({ projectId, title, empty, relatives, testId }: { projectId: string; title: string; empty: string; relatives: ArtifactDetail["parents"]; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader title={`${title} (${relatives.length})`} />
      {relatives.length === 0 ? (
        <CardBody>
          <p className="text-sm text-zinc-500">{empty}</p>
        </CardBody>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {relatives.map((relative) => (
            <li key={relative.id} className="flex items-start gap-2 px-4 py-2">
              <ArtifactChip projectId={projectId} node={relative} />
              <span className="min-w-0 text-[13px] leading-5 text-zinc-700">
                {relative.summary || kindDefinition(relative.kind).label}
                {relative.status === "rejected" || relative.status === "superseded" ? <span className="ml-1 text-xs text-zinc-500">({relative.status})</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
