import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { listArtifacts } from "@/lib/artifacts/service";
import { listAuditEvents, verifyAuditChain } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { toAppError, type AppError } from "@/lib/errors";
import { getRun, startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { listStages, signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

async function expectAppError(promise: Promise<unknown>, code: AppError["code"], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  // Services throw AppErrors, or ZodErrors for bad input; the error mapper makes both responses.
  const mapped = toAppError(error);
  expect(mapped.code).toBe(code);
  if (message) expect(mapped.message).toMatch(message);
}

describe("the requirements stage, from sources to sign-off", () => {
  let admin: UserActor;
  let owner: UserActor;
  let reviewer: UserActor;
  let second: UserActor;
  let outsider: UserActor;
  let projectId: string;
  let runId: string;

  beforeAll(async () => {
    admin = await makeUser("admin@loop.test", "admin");
    owner = await makeUser("owner@loop.test");
    reviewer = await makeUser("reviewer@loop.test");
    second = await makeUser("second@loop.test");
    outsider = await makeUser("outsider@loop.test");
    projectId = (await createProject(admin, { name: "Library lending", brief: "Loans and renewals" })).id;
    await updateStageAssignments(admin, projectId, "requirements", {
      ownerEmail: owner.email,
      reviewerEmails: [reviewer.email, second.email],
    });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
  });

  it("drafts requirements with provenance, routing reasons and step metrics", async () => {
    runId = (await startRun(owner, projectId, { stage: "requirements" })).id;
    await drainRuns();
    const run = await getRun(owner, runId);
    expect(run.status).toBe("waiting_review");
    expect(run.steps.map((s) => [s.key, s.status])).toEqual([
      ["synthesize-requirements", "completed"],
      ["check-quality", "completed"],
      ["check-category", "completed"],
      ["route-requirements", "completed"],
    ]);
    const synthesis = run.steps[0];
    expect(synthesis.model).toBe("offline:drafter");
    expect(synthesis.inputTokens).toBeGreaterThan(0);
    expect(synthesis.outputTokens).toBeGreaterThan(0);
    expect(synthesis.costUsd).toBe(0);
    expect(synthesis.attempts).toBe(1);

    const artifacts = await listArtifacts(owner, projectId, { kind: "requirement" });
    expect(artifacts.length).toBeGreaterThanOrEqual(4);
    for (const artifact of artifacts) {
      expect(artifact.routing).not.toBeNull();
      expect(artifact.provenance.draftedBy.model).toBe("offline:drafter");
      if (artifact.status === "pending_review") expect(artifact.routing!.reasons).not.toEqual([]);
    }
    // The two notes contradict each other on online renewals; that must reach a person.
    const conflicted = artifacts.filter((a) => (a.routing!.reasons as { code: string }[]).some((r) => r.code === "conflict"));
    expect(conflicted.length).toBeGreaterThan(0);
    expect(conflicted.every((a) => a.status === "pending_review")).toBe(true);
  });

  it("shows reviewers their queue with the cited passages", async () => {
    const { items } = await listReviewItems(reviewer, { status: "pending", limit: 100 });
    expect(items.length).toBeGreaterThan(0);
    const item = items[0];
    expect(item.canDecide).toBe(true);
    expect(item.citations.length).toBeGreaterThan(0);
    expect(item.citations.every((c) => c.passage && c.passage.match.length > 0)).toBe(true);
    expect((await listReviewItems(outsider, { status: "pending", limit: 100 })).items).toEqual([]);
  });

  it("refuses a decision from someone who does not review the stage", async () => {
    const { items } = await listReviewItems(reviewer, { status: "pending", limit: 1 });
    await expectAppError(decideReviewItem(owner, items[0].id, { action: "approve", version: 1 }), "forbidden");
  });

  it("refuses sign-off while items are pending", async () => {
    await expectAppError(signOffStage(owner, projectId, "requirements", {}), "conflict", /CONF-\d+ .* not resolved/);
  });

  it("approves, edits and rejects; refuses stale and repeated decisions", async () => {
    const { items } = await listReviewItems(reviewer, { status: "pending", limit: 100 });
    const drafts = items.filter((item) => item.kind === "requirement" && !item.reasons.some((reason) => reason.code === "conflict"));
    const [first, edit, third] = drafts;
    await decideReviewItem(reviewer, first.id, { action: "approve", version: first.version, comment: "Right." });
    await expectAppError(decideReviewItem(reviewer, first.id, { action: "approve", version: first.version }), "conflict", /already decided/);

    const edited = await decideReviewItem(reviewer, edit.id, {
      action: "edit",
      version: edit.version,
      content: { statement: "Members must be able to renew a loan online up to three times per item." },
      comment: "Made it measurable.",
    });
    expect(edited).toMatchObject({ version: 2, status: "pending_review" });
    // Version 1 of the edited item is now stale; version 2 waits for someone other than its editor.
    await expectAppError(decideReviewItem(reviewer, edit.id, { action: "reject", version: 1, comment: "no" }), "conflict", /current version is 2/);
    const revised = (await listReviewItems(second, { status: "pending", limit: 100 })).items.find((item) => item.artifactId === edit.artifactId)!;
    await decideReviewItem(second, revised.id, { action: "approve", version: 2 });

    await expectAppError(decideReviewItem(reviewer, third.id, { action: "reject", version: third.version }), "invalid");
    await decideReviewItem(reviewer, third.id, { action: "reject", version: third.version, comment: "Duplicate of another requirement." });

    const artifacts = await listArtifacts(owner, projectId, { kind: "requirement" });
    const byId = new Map(artifacts.map((a) => [a.id, a]));
    expect(byId.get(first.artifactId!)!.status).toBe("approved");
    expect(byId.get(edit.artifactId!)!.status).toBe("approved");
    expect(byId.get(edit.artifactId!)!.version).toBe(2);
    expect(byId.get(edit.artifactId!)!.provenance.editedBy?.email).toBe(reviewer.email);
    expect(byId.get(third.artifactId!)!.status).toBe("rejected");
  });

  it("drafts user stories once every requirement is decided, then signs off and unlocks planning", async () => {
    for (;;) {
      const { items } = await listReviewItems(reviewer, { status: "pending", limit: 100 });
      if (items.length === 0) break;
      const conflicts = items.filter((item) => item.kind === "conflict");
      for (const item of conflicts) {
        await decideReviewItem(reviewer, item.id, { action: "resolve", version: 1, keep: [item.sides[0].artifactId!], comment: "Renewals go online." });
      }
      if (conflicts.length > 0) continue;
      for (const item of items) await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
      await drainRuns();
    }
    const run = await getRun(owner, runId);
    expect(run.status).toBe("completed");
    expect(run.steps.map((s) => s.key)).toContain("draft-user-stories");
    const stories = await listArtifacts(owner, projectId, { kind: "user_story" });
    expect(stories.length).toBeGreaterThan(0);
    const approvedRefs = new Set(
      (await listArtifacts(owner, projectId, { kind: "requirement" })).filter((a) => a.status !== "rejected").map((a) => a.ref),
    );
    for (const story of stories) {
      const content = story.content as { requirementRefs: string[]; acceptanceCriteria: unknown[] };
      expect(content.acceptanceCriteria.length).toBeGreaterThan(0);
      expect(content.requirementRefs.every((ref) => approvedRefs.has(ref))).toBe(true);
    }

    await expectAppError(signOffStage(reviewer, projectId, "requirements", {}), "forbidden");
    await expectAppError(signOffStage(admin, projectId, "requirements", {}), "forbidden");
    const signOff = await signOffStage(owner, projectId, "requirements", { comment: "Good to plan." });
    expect(signOff.coverageHash).toMatch(/^[0-9a-f]{64}$/);
    const stages = await listStages(owner, projectId);
    expect(stages.find((s) => s.key === "requirements")!.status).toBe("signed_off");
    expect(stages.find((s) => s.key === "planning")!.status).toBe("open");
    expect(stages.find((s) => s.key === "design")!.status).toBe("locked");
    await expectAppError(signOffStage(owner, projectId, "requirements", {}), "conflict", /already signed off/);
  });

  it("records every step in an intact audit trail", async () => {
    const { items } = await listAuditEvents(owner, { projectId, limit: 200 });
    const actions = new Set(items.map((e) => e.action));
    for (const action of ["project.created", "stage.assigned", "source.added", "run.queued", "artifact.sent_to_review", "review.approved", "review.edited", "review.rejected", "conflict.opened", "conflict.resolved", "stage.signed_off", "stage.unlocked"]) {
      expect(actions).toContain(action);
    }
    expect(await verifyAuditChain()).toMatchObject({ ok: true, brokenAtId: null });
    await expect(db().auditEvent.deleteMany({})).rejects.toThrow();
    await expectAppError(listAuditEvents(outsider, { projectId, limit: 10 }), "forbidden");
  });
});
