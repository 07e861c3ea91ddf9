import type { UserActor } from "@/lib/actors";
import { canDo } from "@/lib/access";
import { db } from "@/lib/db";
import { pipelineFor } from "@/lib/pipeline/pipelines";
import { signOffBlocker, signOffFacts } from "./readiness";
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
        hasAiSteps,
        /** Why an open stage cannot be signed off yet, in words; null when nothing stands in the way. */
        blockedBy: blocker?.message ?? null,
        readyToSignOff: stage.status === "open" && blocker === null && (await canDo(actor, "stages:signOff", { projectId: stage.projectId, stage: stage.key })),
      };
    }),
  );
}
export type OwnedStage = Awaited<ReturnType<typeof ownedStages>>[number];
