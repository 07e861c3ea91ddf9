import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { artifactKinds, type ArtifactKind } from "@/lib/kinds/registry";
import type { ArtifactQuery } from "./schema";
import { traceabilityMatrix } from "./traceability";

const artifactView = {
  stage: { select: { key: true } },
  versions: { orderBy: { version: "desc" }, include: { editedBy: { select: { email: true, name: true } } } },
  routings: { orderBy: { createdAt: "desc" }, take: 1 },
  derivedFrom: { select: { parentId: true, parent: { select: { ref: true, kind: true } } }, orderBy: { parentId: "asc" } },
} as const;

export async function listArtifacts(actor: UserActor, projectId: string, query: ArtifactQuery) {
  await assertCan(actor, "projects:read", { projectId });
  const artifacts = await db().artifact.findMany({
    where: {
      projectId,
      ...(query.stage ? { stage: { key: query.stage } } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.status ? { status: query.status } : { status: { not: "superseded" } }),
    },
    include: artifactView,
    orderBy: { createdAt: "asc" },
  });
  return artifacts.map((artifact) => {
    const current = artifact.versions.find((v) => v.version === artifact.currentVersion) ?? artifact.versions[0];
    const drafted = artifact.versions.find((v) => v.version === 1) ?? current;
    const routing = artifact.routings[0];
    return {
      id: artifact.id,
      ref: artifact.ref,
      kind: artifact.kind,
      stage: artifact.stage.key,
      runId: artifact.runId,
      version: artifact.currentVersion,
      status: artifact.status,
      content: current.content,
      derivedFrom: artifact.derivedFrom.map((link) => link.parentId),
      parents: artifact.derivedFrom.map((link) => ({ id: link.parentId, ref: link.parent.ref, kind: link.parent.kind as ArtifactKind })),
      stale: artifact.stale,
      staleReason: artifact.staleReason,
      confidence: drafted.confidence,
      provenance: { draftedBy: { stepRunId: drafted.stepRunId, model: drafted.model }, editedBy: current.editedBy },
      routing: routing
        ? {
            decision: routing.outcome,
            reasons: routing.reasons,
            policy: routing.policy,
            calibratedProbability: routing.calibratedProbability,
            threshold: routing.threshold,
            calibrationVersion: routing.calibrationVersion,
            policyVersion: routing.policyVersion,
          }
        : null,
      createdAt: artifact.createdAt.toISOString(),
    };
  });
}
export type ArtifactView = Awaited<ReturnType<typeof listArtifacts>>[number];

/** The project's traceability matrix: each current requirement with everything drafted from it, and the gaps. */
export async function projectTraceability(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  const [artifacts, links] = await Promise.all([
    db().artifact.findMany({ where: { projectId, status: { notIn: ["superseded", "rejected"] } }, select: { id: true, ref: true, kind: true, stale: true }, orderBy: { createdAt: "asc" } }),
    db().artifactLink.findMany({ where: { artifact: { projectId } }, select: { artifactId: true, parentId: true } }),
  ]);
  return traceabilityMatrix(artifacts, links, artifactKinds[0], artifactKinds);
}
