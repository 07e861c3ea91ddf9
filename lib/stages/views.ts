import { draftingRunStatuses } from "@/lib/pipeline/schema";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan, canDo } from "@/lib/access";
import { loadLineage, planRedraft, redraftState } from "@/lib/artifacts/redraft";
import { db } from "@/lib/db";
import { signOffBlocker, signOffFacts } from "./readiness";
import { stageKeys, stageLabels } from "./stages";

/**
 * The stages the actor owns, across projects, with what the dashboard needs to say whether each
 * is ready to sign off (the same conditions signOffStage checks).
 */
export async function ownedStages(actor: UserActor) {
  const stages = await db().stage.findMany({
    where: { ownerId: actor.userId },
    include: {
      project: { select: { id: true, name: true, createdAt: true } },
      _count: {
        select: {
          reviewItems: { where: { status: "pending" } },
          artifacts: { where: { status: { in: ["approved", "auto_approved"] } } },
          runs: { where: { status: { in: [...draftingRunStatuses] } } },

        },
      },
    },
    orderBy: [{ project: { createdAt: "desc" } }, { position: "asc" }],
  });
  // Only the actor's own stages: owning one makes them a member of its project (ensureMember).
  // Whether they may sign off is asked of the permission table for the open ones.
  return Promise.all(
    stages.map(async (stage) => {
      const pending = stage._count.reviewItems;
      const drafting = stage._count.runs > 0;
      const approved = stage._count.artifacts;
      const facts = await signOffFacts(db(), stage);
      const blocker = stage.status === "open" ? signOffBlocker(facts, actor.userId) : null;
      return {
        projectId: stage.project.id,
        projectName: stage.project.name,
        key: stage.key,
        label: stageLabels[stage.key],
        status: stage.status,
        pending,
        drafting,
        approved,
        openConflicts: facts.openConflicts.length,
        /** Why an open stage cannot be signed off yet, in words; null when nothing stands in the way. */
        blockedBy: blocker?.message ?? null,
        readyToSignOff: stage.status === "open" && blocker === null && (await canDo(actor, "stages:signOff", { projectId: stage.projectId, stage: stage.key })),
      };
    }),
  );
}
export type OwnedStage = Awaited<ReturnType<typeof ownedStages>>[number];

/** How far each stage's work is: drafts waiting for people, approved work, stale work (what changed upstream reached it). */
export type StageProgress = { pending: number; approved: number; stale: number };

export async function stageProgress(actor: UserActor, projectId: string): Promise<Record<StageKey, StageProgress>> {
  await assertCan(actor, "projects:read", { projectId });
  const [stages, counts] = await Promise.all([
    db().stage.findMany({ where: { projectId }, select: { id: true, key: true } }),
    db().artifact.groupBy({ by: ["stageId", "status", "stale"], where: { projectId, status: { notIn: ["superseded", "rejected"] } }, _count: { _all: true } }),
  ]);
  const progress = Object.fromEntries(stageKeys.map((key) => [key, { pending: 0, approved: 0, stale: 0 }])) as Record<StageKey, StageProgress>;
  const keyOf = new Map(stages.map((stage) => [stage.id, stage.key]));
  for (const row of counts) {
    const entry = progress[keyOf.get(row.stageId)!];
    if (row.stale) entry.stale += row._count._all;
    else if (row.status === "pending_review") entry.pending += row._count._all;
    else entry.approved += row._count._all;
  }
  return progress;
}

/**
 * The stale work of a stage and what running it again would do with each artifact: re-draft it
 * from the current versions of what it was drafted from, leave it waiting for an upstream
 * artifact to be re-drafted or decided first (named with its stage), or withdraw it when nothing
 * it came from remains.
 */
export async function stageRedraft(actor: UserActor, projectId: string, key: StageKey) {
  await assertCan(actor, "projects:read", { projectId });
  const stages = await db().stage.findMany({ where: { projectId }, select: { id: true, key: true } });
  const stage = stages.find((candidate) => candidate.key === key);
  if (!stage) return [];
  const keyOf = new Map(stages.map((candidate) => [candidate.id, candidate.key]));
  const lineage = await loadLineage(db(), projectId);
  return planRedraft(stage.id, lineage).map((item) => ({
    ...item,
    state: redraftState(item),
    waitingOn: item.waitingOn.map(({ stageId, ...parent }) => ({ ...parent, stage: keyOf.get(stageId)! })),
  }));
}
export type StageRedraftItem = Awaited<ReturnType<typeof stageRedraft>>[number];
