import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { propagateChange } from "@/lib/artifacts/propagation";
import { reviseArtifact } from "@/lib/artifacts/revision";
import { listArtifacts, projectTraceability } from "@/lib/artifacts/service";
import { db } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { getRun, startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { listStages, signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { approveEverything, makeUser, sampleNotes } from "./helpers";

describe("a stage is a definition: the engine runs requirements, then planning from the kinds' definitions", () => {
  let owner: UserActor;
  let reviewer: UserActor;
  let projectId: string;

  beforeAll(async () => {
    const admin = await makeUser("admin@engine.test", "admin");
    owner = await makeUser("owner@engine.test");
    reviewer = await makeUser("reviewer@engine.test");
    projectId = (await createProject(admin, { name: "Engine" })).id;
    for (const stage of stageKeys) {
      await updateStageAssignments(admin, projectId, stage, { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    }
    for (const note of sampleNotes) await addSource(owner, projectId, note);
  });

  it("links each user story to the requirements it names", async () => {
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    await approveEverything(reviewer, projectId);
    const requirements = await listArtifacts(owner, projectId, { kind: "requirement" });
    const idOf = new Map(requirements.map((requirement) => [requirement.ref, requirement.id]));
    const stories = await listArtifacts(owner, projectId, { kind: "user_story" });
    expect(stories.length).toBeGreaterThan(0);
    for (const story of stories) {
      const refs = (story.content as { requirementRefs: string[] }).requirementRefs;
      expect(story.derivedFrom).toEqual(refs.map((ref) => idOf.get(ref)!).sort());
      expect(story.parents.map((parent) => parent.ref).sort()).toEqual([...refs].sort());
      expect(story.stale).toBe(false);
      expect(story.staleReason).toBeNull();
    }
    for (const requirement of requirements) expect(requirement.derivedFrom).toEqual([]);
    await signOffStage(owner, projectId, "requirements", {});
  });

  it("drafts milestones from the approved stories, each traced to them, and routes them to people", async () => {
    const { id: runId } = await startRun(owner, projectId, { stage: "planning" });
    await drainRuns();
    const run = await getRun(owner, runId);
    expect(run.steps.map((step) => [step.key, step.status])).toEqual([
      ["draft-milestones", "completed"],
      ["route-milestones", "completed"],
    ]);
    const milestones = await listArtifacts(owner, projectId, { kind: "milestone" });
    expect(milestones.length).toBeGreaterThan(0);
    expect(milestones.every((milestone) => /^MS-\d+$/.test(milestone.ref) && milestone.stage === "planning")).toBe(true);
    const approvedStories = new Set((await listArtifacts(owner, projectId, { kind: "user_story" })).filter((story) => story.status !== "rejected").map((story) => story.id));
    const planned = new Set<string>();
    for (const milestone of milestones) {
      expect(milestone.derivedFrom.length).toBeGreaterThan(0);
      const storyIds = (milestone.content as { storyIds: string[] }).storyIds;
      for (const id of storyIds) planned.add(id);
      expect(storyIds.every((id) => approvedStories.has(id))).toBe(true);
    }
    expect([...approvedStories].every((id) => planned.has(id))).toBe(true);

    await approveEverything(reviewer, projectId);
    expect((await getRun(owner, runId)).status).toBe("completed");
    expect((await listArtifacts(owner, projectId, { kind: "milestone" })).every((milestone) => milestone.status === "approved" || milestone.status === "auto_approved")).toBe(true);
  });

  it("runs every later stage from its definition, each drafting from the approved work before it", async () => {
    await signOffStage(owner, projectId, "planning", {});
    const expected = { design: ["adr", "interface"], coding: ["task"], testing: ["test_case"], deployment: ["release_note", "deployment_risk"], operations: ["runbook"] } as const;
    for (const [stage, kinds] of Object.entries(expected) as [keyof typeof expected, readonly string[]][]) {
      const { id: runId } = await startRun(owner, projectId, { stage });
      await drainRuns();
      await approveEverything(reviewer, projectId);
      const run = await getRun(owner, runId);
      expect(run.status, `${stage}: ${run.error ?? run.steps.map((step) => step.error).join()}`).toBe("completed");
      for (const kind of kinds) {
        const drafted = await listArtifacts(owner, projectId, { kind: kind as "adr" });
        expect(drafted.length, kind).toBeGreaterThan(0);
        expect(drafted.every((artifact) => artifact.stage === stage && artifact.derivedFrom.length > 0), kind).toBe(true);
      }
      await signOffStage(owner, projectId, stage, {});
    }
    expect((await listStages(owner, projectId)).every((stage) => stage.status === "signed_off")).toBe(true);

    const matrix = await projectTraceability(owner, projectId);
    const requirements = (await listArtifacts(owner, projectId, { kind: "requirement" })).filter((artifact) => artifact.status !== "rejected");
    expect(matrix.map((row) => row.root.id)).toEqual(requirements.map((artifact) => artifact.id));
    const served = matrix.filter((row) => row.descendants.user_story.length > 0);
    expect(served.length).toBeGreaterThan(0);
    // A requirement a story serves reaches that story's tests and tasks through it.
    expect(served.some((row) => row.descendants.test_case.length > 0 && row.descendants.task.length > 0)).toBe(true);
    for (const row of matrix) expect(row.missingKinds.includes("user_story")).toBe(row.descendants.user_story.length === 0);
  });

  it("marks everything derived from a changed requirement stale and reopens the stages holding it, keeping their sign-offs as superseded", async () => {
    const stories = (await listArtifacts(owner, projectId, { kind: "user_story" })).filter((story) => story.status !== "rejected");
    const changed = stories[0].derivedFrom[0];
    const signOffsBefore = await db().signOff.count({ where: { stage: { projectId } } });
    const result = await transact((tx) => propagateChange(tx, { projectId, changedIds: [changed], reason: "the loan period is now 21 days", actor: owner }));

    expect(result.stale.map((artifact) => artifact.id)).toContain(stories[0].id);
    expect(result.reopenedStages).toEqual(expect.arrayContaining(["requirements", "planning", "testing"]));
    const after = await listArtifacts(owner, projectId, {});
    const stale = after.filter((artifact) => artifact.stale);
    expect(stale.map((artifact) => artifact.id).sort()).toEqual(result.stale.map((artifact) => artifact.id).sort());
    expect(stale.every((artifact) => /REQ-\d+ changed: the loan period is now 21 days/.test(artifact.staleReason ?? ""))).toBe(true);
    expect(after.find((artifact) => artifact.id === changed)!.stale).toBe(false);
    // A story's milestone is stale too, two links away.
    expect(stale.some((artifact) => artifact.kind === "milestone")).toBe(true);

    const stages = await listStages(owner, projectId);
    for (const key of result.reopenedStages) expect(stages.find((stage) => stage.key === key)!.status).toBe("open");
    const signOffs = await db().signOff.findMany({ where: { stage: { projectId } }, include: { stage: { select: { key: true } } } });
    expect(signOffs).toHaveLength(signOffsBefore);
    for (const signOff of signOffs) expect(signOff.supersededAt !== null).toBe(result.reopenedStages.includes(signOff.stage.key));
    const notices = await db().notification.findMany({ where: { userId: owner.userId, kind: "stage.reopened" } });
    expect(notices).toHaveLength(result.reopenedStages.length);
  });

  it("lets the stage owner revise approved work: a new version back to review, its descendants stale; bad input changes nothing", async () => {
    const requirement = (await listArtifacts(owner, projectId, { kind: "requirement" })).find((artifact) => artifact.status === "approved" || artifact.status === "auto_approved")!;
    const statement = "The library must let members renew a loan online up to 3 times.";
    const codeOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => toAppError(error).code);
    expect(await codeOf(reviseArtifact(owner, requirement.id, { content: { statement }, comment: " " }))).toBe("invalid");
    expect(await codeOf(reviseArtifact(owner, requirement.id, { content: { category: "nonsense" }, comment: "recategorised" }))).toBe("invalid");
    expect(await codeOf(reviseArtifact(reviewer, requirement.id, { content: { statement }, comment: "renewals" }))).toBe("forbidden");
    expect(await codeOf(reviseArtifact(owner, requirement.id, { content: {}, comment: "nothing" }))).toBe("invalid");
    expect((await db().artifact.findUniqueOrThrow({ where: { id: requirement.id } })).currentVersion).toBe(requirement.version);

    const revised = await reviseArtifact(owner, requirement.id, { content: { statement }, comment: "renewals are capped at 3" });
    expect(revised).toMatchObject({ version: requirement.version + 1, status: "pending_review" });
    const after = (await listArtifacts(owner, projectId, {})).find((artifact) => artifact.id === requirement.id)!;
    expect((after.content as { statement: string }).statement).toBe(statement);
    for (const { id } of revised.stale) {
      const artifact = await db().artifact.findUniqueOrThrow({ where: { id } });
      expect(artifact.stale).toBe(true);
      expect(artifact.staleReason).toContain("renewals are capped at 3");
    }
    const { items } = await listReviewItems(owner, { status: "pending", projectId, limit: 100 });
    const item = items.find((candidate) => candidate.artifactId === requirement.id)!;
    expect(item.reasons.map((reason) => reason.code)).toEqual(["edited"]);
    expect(item.canDecide).toBe(false);
    await decideReviewItem(reviewer, item.id, { action: "approve", version: revised.version });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: requirement.id } })).status).toBe("approved");
  });
});
