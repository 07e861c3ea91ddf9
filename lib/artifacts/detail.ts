import type { UserActor } from "@/lib/actors";
import { assertCan, canDo } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { artifactKinds, kindDefinition, type ArtifactKind } from "@/lib/kinds/registry";
import { revisionBlocker } from "./revision";
import { artifactSummary } from "./summary";
import { contentDiff } from "./content-diff";

const person = { select: { name: true, email: true } } as const;
const relative = { select: { id: true, ref: true, kind: true, status: true, stale: true, currentVersion: true, versions: { select: { version: true, content: true } } } } as const;

type Relative = { id: string; ref: string; kind: string; status: string; stale: boolean; currentVersion: number; versions: { version: number; content: unknown }[] };
const presentRelative = (artifact: Relative) => ({
  id: artifact.id,
  ref: artifact.ref,
  kind: artifact.kind,
  status: artifact.status,
  stale: artifact.stale,
  summary: artifactSummary(artifact.kind, artifact.versions.find((version) => version.version === artifact.currentVersion)?.content),
});

/**
 * One artifact as its page shows it: every version with what changed from the one before, the
 * decisions on it, what it was drafted from and what was drafted from it, and whether the actor
 * may revise it now (and if not, why).
 */
export async function artifactDetail(actor: UserActor, projectId: string, artifactId: string) {
  await assertCan(actor, "projects:read", { projectId });
  const artifact = await db().artifact.findFirst({
    where: { id: artifactId, projectId },
    include: {
      stage: { include: { reviewers: { select: { userId: true } } } },
      versions: { orderBy: { version: "asc" }, include: { editedBy: person, stepRun: { select: { key: true } } } },
      derivedFrom: { select: { parent: relative }, orderBy: { parentId: "asc" } },
      derivedInto: { select: { artifact: relative }, orderBy: { artifactId: "asc" } },
    },
  });
  if (!artifact) throw notFound("The artifact");
  const decisions = await db().reviewDecision.findMany({ where: { artifactId }, include: { decidedBy: person, onBehalfOf: person }, orderBy: { createdAt: "asc" } });
  const mayRevise = await canDo(actor, "artifacts:revise", { projectId, stage: artifact.stage.key });
  const definition = kindDefinition(artifact.kind);
  const current = artifact.versions.find((version) => version.version === artifact.currentVersion) ?? artifact.versions.at(-1)!;
  const relatives = [...artifact.derivedFrom.map((link) => link.parent), ...artifact.derivedInto.map((link) => link.artifact)];
  // A revision keeps references as drafted, but a diff of them should still read as US-3, not an id.
  const references = Object.fromEntries(relatives.map((relative) => [relative.id, relative.ref]));
  // Lifecycle order (stories before tasks), then by reference number.
  const byRef = (a: { kind: string; ref: string }, b: { kind: string; ref: string }) =>
    artifactKinds.indexOf(a.kind as ArtifactKind) - artifactKinds.indexOf(b.kind as ArtifactKind) || a.ref.localeCompare(b.ref, "en", { numeric: true });

  return {
    id: artifact.id,
    ref: artifact.ref,
    kind: artifact.kind,
    stage: artifact.stage.key,
    status: artifact.status,
    version: artifact.currentVersion,
    stale: artifact.stale,
    staleReason: artifact.staleReason,
    summary: artifactSummary(artifact.kind, current.content),
    content: current.content as Record<string, unknown>,
    versions: artifact.versions
      .map((version, index) => ({
        version: version.version,
        at: version.createdAt.toISOString(),
        model: version.model,
        step: version.stepRun?.key ?? null,
        editedBy: version.editedBy,
        content: version.content as Record<string, unknown>,
        changes: index === 0 ? [] : contentDiff(definition.fields, artifact.versions[index - 1].content, version.content, references),
      }))
      .reverse(),
    decisions: decisions.map((decision) => ({
      action: decision.action,
      version: decision.version,
      by: decision.decidedBy,
      onBehalfOf: decision.onBehalfOf,
      at: decision.createdAt.toISOString(),
      comment: decision.comment,
      undone: decision.undoneAt !== null,
    })),
    parents: artifact.derivedFrom.map((link) => presentRelative(link.parent)).sort(byRef),
    children: artifact.derivedInto.map((link) => presentRelative(link.artifact)).sort(byRef),
    mayRevise,
    /** Why the owner cannot revise it now; null when they can (or are not its owner). */
    revisionBlocked: mayRevise ? await revisionBlocker(actor.userId, artifact) : null,
  };
}
export type ArtifactDetail = Awaited<ReturnType<typeof artifactDetail>>;
