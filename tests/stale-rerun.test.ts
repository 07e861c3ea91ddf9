import { beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { reviseArtifact } from "@/lib/artifacts/revision";
import { listArtifacts } from "@/lib/artifacts/service";
import { db } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { getRun, startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { assignEveryStage, signOffStage } from "@/lib/stages/service";
import { stageRedraft } from "@/lib/stages/views";
import { createTokenForEmail } from "@/lib/tokens/service";
import { api } from "./api/api-client";
import { approveEverything, makeUser, sampleNotes } from "./helpers";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

/**
 * A change upstream after sign-off makes what was built on it stale; running the reopened stage
 * again re-drafts only the stale artifacts, from the current versions of what they came from,
 * leaves the fresh ones alone, and shows reviewers each new draft beside the one it replaces.
 */
const codeOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => toAppError(error).code);

describe("re-running a stage that holds stale work", () => {
  let owner: UserActor;
  let reviewer: UserActor;
  let reviewerToken: string;
  let projectId: string;

  beforeAll(async () => {
    const admin = await makeUser("admin@stale.test", "admin");
    owner = await makeUser("owner@stale.test");
    reviewer = await makeUser("reviewer@stale.test");
    reviewerToken = (await createTokenForEmail(systemActor("test"), reviewer.email, "stale test")).secret;
    projectId = (await createProject(admin, { name: "Stale" })).id;
    await assignEveryStage(admin, projectId, { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
    for (const stage of ["requirements", "planning", "design", "coding", "testing"] as const) {
      const { id } = await startRun(owner, projectId, { stage });
      await drainRuns();
      await approveEverything(reviewer, projectId);
      expect((await getRun(owner, id)).status, stage).toBe("completed");
      await signOffStage(owner, projectId, stage, {});
    }
  });

  it("re-drafts only the stale test cases from the revised story, leaves the fresh ones and the other stages' stale work alone, and shows the difference", async () => {
    const tests = (await listArtifacts(owner, projectId, { kind: "test_case" })).filter((test) => test.status !== "rejected");
    const story = (await listArtifacts(owner, projectId, { kind: "user_story" })).find(
      (candidate) => candidate.status !== "rejected" && tests.some((test) => test.derivedFrom.includes(candidate.id)),
    )!;
    const criteria = (story.content as { acceptanceCriteria: { given: string; when: string; then: string }[] }).acceptanceCriteria;
    const revisedCriteria = criteria.map((criterion, index) => (index === 0 ? { ...criterion, then: `${criterion.then} within 2 seconds` } : criterion));
    const staleTests = tests.filter((test) => test.derivedFrom.includes(story.id));
    const freshTests = tests.filter((test) => !test.derivedFrom.includes(story.id));
    expect(freshTests.length).toBeGreaterThan(0);

    const revised = await reviseArtifact(owner, story.id, { content: { acceptanceCriteria: revisedCriteria }, comment: "the renewal must be confirmed within 2 seconds" });
    expect(revised.stale.map((artifact) => artifact.id)).toEqual(expect.arrayContaining(staleTests.map((test) => test.id)));
    expect(revised.reopenedStages).toEqual(expect.arrayContaining(["requirements", "testing"]));

    // Until the revision is approved, the stale tests wait for it.
    const waiting = await stageRedraft(owner, projectId, "testing");
    expect(waiting.map((item) => item.id).sort()).toEqual(staleTests.map((test) => test.id).sort());
    expect(waiting.every((item) => item.state === "waiting" && item.waitingOn.some((parent) => parent.id === story.id && parent.why === "undecided"))).toBe(true);
    const revision = (await listReviewItems(reviewer, { status: "pending", projectId, limit: 100 })).items.find((item) => item.artifactId === story.id)!;
    await decideReviewItem(reviewer, revision.id, { action: "approve", version: revised.version });

    const ready = await stageRedraft(owner, projectId, "testing");
    expect(ready.every((item) => item.state === "ready" && item.from.includes(story.id))).toBe(true);
    expect(await codeOf(signOffStage(owner, projectId, "testing", {}))).toBe("conflict");
    const milestonesBefore = (await listArtifacts(owner, projectId, { kind: "milestone" })).filter((milestone) => milestone.stale);
    expect(milestonesBefore.length).toBeGreaterThan(0);

    const { id: runId } = await startRun(owner, projectId, { stage: "testing" });
    await drainRuns();

    const after = await listArtifacts(owner, projectId, { kind: "test_case" });
    const superseded = await listArtifacts(owner, projectId, { kind: "test_case", status: "superseded" });
    expect(superseded.map((test) => test.id).sort()).toEqual(staleTests.map((test) => test.id).sort());
    for (const fresh of freshTests) {
      const now = after.find((test) => test.id === fresh.id)!;
      expect({ status: now.status, version: now.version, stale: now.stale, content: now.content }).toEqual({ status: fresh.status, version: fresh.version, stale: false, content: fresh.content });
    }
    const redrafted = after.filter((test) => test.runId === runId);
    expect(redrafted).toHaveLength(revisedCriteria.length);
    expect(redrafted.every((test) => test.derivedFrom.includes(story.id) && !test.stale)).toBe(true);
    expect(redrafted.map((test) => (test.content as { criterion: { then: string } }).criterion.then)).toContain(revisedCriteria[0].then);
    // Work elsewhere waits for its own stage's run.
    const milestonesAfter = await listArtifacts(owner, projectId, { kind: "milestone" });
    for (const milestone of milestonesBefore) expect(milestonesAfter.find((candidate) => candidate.id === milestone.id)).toMatchObject({ stale: true, status: milestone.status });

    // Reviewers see each new draft beside the stale one it replaces, word by word, through the API.
    const { items } = await api(reviewerToken).ok("listReviewItems", { query: { projectId, stage: "testing", kind: "draft", limit: 100 } });
    const cards = items.filter((item) => redrafted.some((test) => test.id === item.artifactId));
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.replaces).toHaveLength(1);
      expect(staleTests.map((test) => test.ref)).toContain(card.replaces[0].ref);
      expect(card.replaces[0].staleReason).toContain("the renewal must be confirmed within 2 seconds");
      expect(card.parents.map((parent) => parent.ref)).toContain(story.ref);
      expect(card.parents.find((parent) => parent.id === story.id)).toMatchObject({ kind: "user_story", label: "User story", summary: expect.stringMatching(/^As a /) });
      // The story a test case names by id reads as its reference.
      expect(card.references[(card.content as { storyId: string }).storyId]).toBe(story.ref);
    }
    const changed = cards.find((card) => (card.content as { criterionIndex: number }).criterionIndex === 0)!;
    const criterionChange = changed.replaces[0].changes.find((change) => change.field === "criterion")!;
    expect(criterionChange.parts.filter((part) => part.change === "added").map((part) => part.value).join("")).toMatch(/2\s*seconds/);
    // One to one: no two new drafts claim the same stale test while others are left unclaimed.
    if (cards.length === staleTests.length) expect(new Set(cards.map((card) => card.replaces[0].id)).size).toBe(staleTests.length);

    await approveEverything(reviewer, projectId);
    expect(await stageRedraft(owner, projectId, "testing")).toEqual([]);
    await signOffStage(owner, projectId, "testing", {});
    const events = await db().auditEvent.findMany({ where: { projectId, action: "artifacts.superseded" }, orderBy: { id: "desc" }, take: 1 });
    expect(events[0].after).toMatchObject({ kind: "test_case", runId, replaced: expect.arrayContaining(staleTests.map((test) => expect.objectContaining({ id: test.id, ref: test.ref }))) });
  });

  it("keeps work waiting while what it rests on is stale itself, naming what it waits for", async () => {
    const stale = (await listArtifacts(owner, projectId, { stage: "coding" })).filter((artifact) => artifact.stale);
    expect(stale.length).toBeGreaterThan(0);
    // Coding's stale tasks rest on the stale milestones, ADRs and interfaces: those are re-drafted first, in their own stages.
    const plan = await stageRedraft(owner, projectId, "coding");
    expect(plan.map((item) => item.id).sort()).toEqual(stale.map((artifact) => artifact.id).sort());
    const staleUpstream = new Set((await listArtifacts(owner, projectId, {})).filter((artifact) => artifact.stale && artifact.stage !== "coding").map((artifact) => artifact.id));
    for (const item of plan) {
      expect(item.state).toBe("waiting");
      expect(item.waitingOn.length).toBeGreaterThan(0);
      expect(item.waitingOn.every((parent) => parent.why === "stale" && staleUpstream.has(parent.id))).toBe(true);
    }
  });
});

describe("re-running the requirements stage after a requirement was revised", () => {
  it("re-drafts only the stale user stories: no requirement is drafted again", async () => {
    const admin = await makeUser("admin@stale-req.test", "admin");
    const owner = await makeUser("owner@stale-req.test");
    const reviewer = await makeUser("reviewer@stale-req.test");
    const projectId = (await createProject(admin, { name: "Stale requirements" })).id;
    await assignEveryStage(admin, projectId, { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    await approveEverything(reviewer, projectId);
    await signOffStage(owner, projectId, "requirements", {});

    const requirementsBefore = await listArtifacts(owner, projectId, { kind: "requirement" });
    const stories = (await listArtifacts(owner, projectId, { kind: "user_story" })).filter((story) => story.status !== "rejected");
    const requirement = requirementsBefore.find((candidate) => candidate.status !== "rejected" && stories.some((story) => story.derivedFrom.includes(candidate.id)))!;
    const staleStories = stories.filter((story) => story.derivedFrom.includes(requirement.id));
    const statement = (requirement.content as { statement: string }).statement;
    const revised = await reviseArtifact(owner, requirement.id, { content: { statement: `${statement.replace(/\.$/, "")} within two minutes.` }, comment: "tighter" });
    const revision = (await listReviewItems(reviewer, { status: "pending", projectId, limit: 100 })).items.find((item) => item.artifactId === requirement.id)!;
    await decideReviewItem(reviewer, revision.id, { action: "approve", version: revised.version });

    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    await approveEverything(reviewer, projectId);

    const requirementsAfter = await listArtifacts(owner, projectId, { kind: "requirement" });
    expect(requirementsAfter.filter((candidate) => candidate.runId === runId)).toEqual([]);
    expect(requirementsAfter.map((candidate) => candidate.id).sort()).toEqual(requirementsBefore.map((candidate) => candidate.id).sort());
    const superseded = await listArtifacts(owner, projectId, { kind: "user_story", status: "superseded" });
    expect(superseded.map((story) => story.id).sort()).toEqual(staleStories.map((story) => story.id).sort());
    const redrafted = (await listArtifacts(owner, projectId, { kind: "user_story" })).filter((story) => story.runId === runId);
    expect(redrafted.length).toBeGreaterThan(0);
    expect(redrafted.every((story) => story.derivedFrom.includes(requirement.id))).toBe(true);
    expect((await getRun(owner, runId)).status).toBe("completed");
  });
});
