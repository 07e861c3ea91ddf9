import { expect } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { toAppError, type AppError } from "@/lib/errors";
import { createProject } from "@/lib/projects/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "../helpers";

/**
 * A requirements stage with an owner and three reviewers, and a run the owner started (so the
 * reviewers may decide what it drafted), for the review-for-teams tests: drafts are written
 * straight into it, each waiting for review with the approvals it is given.
 */
export type ReviewWorld = {
  admin: UserActor;
  owner: UserActor;
  reviewers: [UserActor, UserActor, UserActor];
  outsider: UserActor;
  projectId: string;
  stageId: string;
  runId: string;
  draft: (options?: { requiredApprovals?: number; category?: string }) => Promise<{ artifactId: string; itemId: string; ref: string }>;
};

export async function reviewWorld(name: string): Promise<ReviewWorld> {
  const user = (who: string, role: "admin" | "member" = "member") => makeUser(`${who}@${name}.test`, role);
  const admin = await user("admin", "admin");
  const owner = await user("owner");
  const reviewers: [UserActor, UserActor, UserActor] = [await user("ann"), await user("ben"), await user("cleo")];
  const outsider = await user("outsider");
  const projectId = (await createProject(admin, { name })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: reviewers.map((r) => r.email) });
  const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: "requirements" } } });
  const run = await db().run.create({ data: { projectId, stageId: stage.id, status: "waiting_review", createdById: owner.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed", model: "offline" } });
  let drafted = 0;
  const draft: ReviewWorld["draft"] = async (options = {}) => {
    drafted += 1;
    const ref = `REQ-${drafted}`;
    const artifact = await db().artifact.create({
      data: { projectId, stageId: stage.id, runId: run.id, stepRunId: step.id, kind: "requirement", ref, status: "pending_review" },
    });
    await db().artifactVersion.create({
      data: {
        artifactId: artifact.id,
        version: 1,
        content: { statement: `Members must be able to renew loan ${drafted} online.`, category: options.category ?? "functional", sources: [], unsure: null },
        confidence: 0.7,
        stepRunId: step.id,
        model: "offline",
      },
    });
    await db().routingDecision.create({
      data: {
        artifactId: artifact.id,
        version: 1,
        outcome: "review",
        reasons: [],
        policy: {},
        stepKey: "synthesize-requirements",
        category: options.category ?? "functional",
        features: { rawConfidence: 0.7, category: options.category ?? "functional", flags: [], modelId: "offline", sourceKind: "interview" },
        calibratedProbability: 0.6,
        threshold: 0.95,
      },
    });
    const item = await db().reviewItem.create({
      data: {
        projectId,
        stageId: stage.id,
        runId: run.id,
        artifactId: artifact.id,
        version: 1,
        reasons: [{ code: "low_confidence", detail: "0.70 < 0.95" }],
        requiredApprovals: options.requiredApprovals ?? 1,
      },
    });
    return { artifactId: artifact.id, itemId: item.id, ref };
  };
  return { admin, owner, reviewers, outsider, projectId, stageId: stage.id, runId: run.id, draft };
}

/** The AppError a call fails with; fails the test when it succeeds. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return toAppError(error);
}
