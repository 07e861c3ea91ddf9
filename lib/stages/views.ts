import type { UserActor } from "@/lib/actors";
import { canDo } from "@/lib/access";
import { db } from "@/lib/db";
import { pipelineFor } from "@/lib/pipeline/pipelines";
import { stageLabels } from "./stages";

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
          runs: { where: { status: { in: ["queued", "running"] } } },
          conflicts: { where: { status: "open" } },
        },
      },
    },
    orderBy: [{ project: { createdAt: "desc" } }, { position: "asc" }],
  });
  // Only the actor's own stages: owning one makes them a member of its project (ensureMember).
  // Whether they may sign off is asked of the permission table for the open ones.
  return Promise.all(
    stages.map(async (stage) => {
      const hasAiSteps = pipelineFor(stage.key) !== null;
      const pending = stage._count.reviewItems;
      const drafting = stage._count.runs > 0;
      const approved = stage._count.artifacts;
      const openConflicts = stage._count.conflicts;
      return {
        projectId: stage.project.id,
        projectName: stage.project.name,
        key: stage.key,
        label: stageLabels[stage.key],
        status: stage.status,
        pending,
        drafting,
        approved,
        openConflicts,
        hasAiSteps,
        readyToSignOff:
          stage.status === "open" &&
          pending === 0 &&
          openConflicts === 0 &&
          !drafting &&
          (approved > 0 || !hasAiSteps) &&
          (await canDo(actor, "stages:signOff", { projectId: stage.projectId, stage: stage.key })),
      };
    }),
  );
}
export type OwnedStage = Awaited<ReturnType<typeof ownedStages>>[number];
