import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { DecisionAction } from "@/lib/generated/sqlite/enums";

/**
 * The history of one artifact: every version with where it came from, who (or which model)
 * wrote it, and the decisions people took on it with their comments, undone ones included.
 */
export type VersionOrigin = "drafted" | "edited" | "revised" | "redrafted";

type StoredVersion = { version: number; editedById: string | null };

/** A version a model wrote after the first is a re-draft (people's edits and revisions carry who made them). */
export const isRedraftedVersion = (version: StoredVersion) => version.version > 1 && version.editedById === null;
type StoredDecision = { action: DecisionAction; newVersion: number | null; undoneAt: Date | null };

/** Where a version came from, pure: the first was drafted; a person's later version is an edit in review or a revision of approved work; a model's later version is a re-draft. */
export function versionOrigin(version: StoredVersion, decisions: readonly StoredDecision[]): VersionOrigin {
  if (version.version === 1) return "drafted";
  if (isRedraftedVersion(version)) return "redrafted";
  return decisions.some((decision) => decision.action === "edit" && decision.newVersion === version.version) ? "edited" : "revised";
}

/**
 * Where a version stands: the current one has the artifact's status; an earlier one is rejected
 * when its last decision that stands rejected it, and otherwise was superseded by a later version.
 */
export function versionStatus(version: number, artifact: { currentVersion: number; status: string }, decisionsOnIt: readonly StoredDecision[]): string {
  if (version === artifact.currentVersion) return artifact.status;
  const standing = decisionsOnIt.filter((decision) => decision.undoneAt === null).at(-1);
  return standing?.action === "reject" ? "rejected" : "superseded";
}

const person = { select: { name: true, email: true } } as const;

export async function artifactVersions(actor: UserActor, artifactId: string) {
  const artifact = await db().artifact.findUnique({
    where: { id: artifactId },
    select: {
      id: true,
      ref: true,
      projectId: true,
      status: true,
      currentVersion: true,
      versions: { orderBy: { version: "asc" }, select: { version: true, content: true, createdAt: true, model: true, editedById: true, editedBy: person } },
    },
  });
  if (!artifact) throw notFound("The artifact");
  await assertCan(actor, "projects:read", { projectId: artifact.projectId });
  const decisions = await db().reviewDecision.findMany({
    where: { artifactId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { version: true, action: true, newVersion: true, comment: true, createdAt: true, undoneAt: true, decidedBy: person },
  });
  return {
    artifactId: artifact.id,
    ref: artifact.ref,
    currentVersion: artifact.currentVersion,
    versions: artifact.versions.map((version) => {
      const onIt = decisions.filter((decision) => decision.version === version.version);
      const origin = versionOrigin(version, decisions);
      return {
        version: version.version,
        content: version.content as Record<string, unknown>,
        origin,
        status: versionStatus(version.version, artifact, onIt),
        createdAt: version.createdAt.toISOString(),
        by: version.editedBy ? { type: "person" as const, name: version.editedBy.name, email: version.editedBy.email } : { type: "model" as const, name: version.model ?? "unknown model", email: null },
        decisions: onIt.map((decision) => ({
          action: decision.action,
          by: { name: decision.decidedBy.name, email: decision.decidedBy.email },
          at: decision.createdAt.toISOString(),
          comment: decision.comment,
          undone: decision.undoneAt !== null,
        })),
      };
    }),
  };
}
export type ArtifactVersions = Awaited<ReturnType<typeof artifactVersions>>;
