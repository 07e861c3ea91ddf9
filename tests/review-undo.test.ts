import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { undoDecision } from "@/lib/review/undo";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { signOffStage } from "@/lib/stages/service";
import { createTokenForEmail } from "@/lib/tokens/service";
import { api } from "./api/api-client";
import { refusal, reviewWorld, type ReviewWorld } from "./support/review-world";

/**
 * Undo and reopen: the decider takes their decision back within ten seconds, the stage owner
 * reopens a decided item until the stage is signed off. The decision stays on record, marked
 * undone; the item waits again and the artifact is back at the decided version. Time is the
 * test's: only Date is faked, so timers and the database run as usual.
 */
let world: ReviewWorld;
let ann: UserActor;
let ben: UserActor;
const start = new Date("2026-12-04T10:00:00Z").getTime();
const at = (ms: number) => vi.setSystemTime(new Date(start + ms));

beforeAll(async () => {
  world = await reviewWorld("undo");
  [ann, ben] = world.reviewers;
});

afterEach(() => {
  vi.useRealTimers();
});

const decisionsOf = (reviewItemId: string) => db().reviewDecision.findMany({ where: { reviewItemId }, orderBy: { createdAt: "asc" } });

describe("the decider's undo", () => {
  it("takes an approval back within ten seconds: item pending, artifact pending, label retracted, decision kept", async () => {
    const { itemId, artifactId } = await world.draft();
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const decided = await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    expect(decided.undoableUntil).toBe(new Date(start + 10_000).toISOString());
    expect(await db().draftLabel.count({ where: { artifactId } })).toBe(1);
    const decidedView = (await listReviewItems(ann, { projectId: world.projectId, status: "decided", limit: 100 })).items.find((item) => item.id === itemId)!;
    expect(decidedView.undoableUntil).toBe(new Date(start + 10_000).toISOString());

    at(9_500);
    const undone = await undoDecision(ann, itemId);
    expect(undone).toEqual({ id: itemId, kind: "undo", status: "pending", undoneDecisionId: decided.id, artifactId, version: 1 });
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: "pending", decidedAt: null });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: artifactId } })).status).toBe("pending_review");
    expect(await db().draftLabel.count({ where: { artifactId } })).toBe(0);
    const [decision] = await decisionsOf(itemId);
    expect(decision).toMatchObject({ id: decided.id, undoneById: ann.userId });
    expect(decision.undoneAt?.getTime()).toBe(start + 9_500);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: artifactId, action: "review.undone" } });
    expect(audit.after).toMatchObject({ itemStatus: "pending", artifactStatus: "pending_review", labelRetracted: true });

    // Decided again, it is labelled again.
    at(20_000);
    expect((await decideReviewItem(ben, itemId, { action: "reject", version: 1, comment: "On second thought, too vague." })).status).toBe("rejected");
    expect(await db().draftLabel.findUnique({ where: { artifactId } })).toMatchObject({ outcome: "rejected" });
  });

  it("is refused after ten seconds, and to anyone but the decider or the owner", async () => {
    const { itemId } = await world.draft();
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    at(5_000);
    expect((await refusal(undoDecision(ben, itemId))).code).toBe("forbidden");
    expect((await refusal(undoDecision(world.outsider, itemId))).code).toBe("forbidden");
    at(10_001);
    const late = await refusal(undoDecision(ann, itemId));
    expect(late.code).toBe("conflict");
    expect(late.details).toMatchObject({ reason: "undo_window_passed" });
    expect(late.message).toMatch(/the stage owner can still reopen it/);
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).status).toBe("decided");
    expect((await decisionsOf(itemId))[0].undoneAt).toBeNull();
  });

  it("takes an edit back: the new version and its review item are withdrawn", async () => {
    const { itemId, artifactId } = await world.draft();
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    const edited = await decideReviewItem(ann, itemId, { action: "edit", version: 1, content: { statement: "Members must be able to renew a loan online up to three times." } });
    expect(edited).toMatchObject({ status: "pending_review", version: 2 });
    const editItem = await db().reviewItem.findFirstOrThrow({ where: { artifactId, version: 2 } });
    at(3_000);
    await undoDecision(ann, itemId);
    expect(await db().artifact.findUniqueOrThrow({ where: { id: artifactId } })).toMatchObject({ currentVersion: 1, status: "pending_review" });
    expect(await db().artifactVersion.count({ where: { artifactId } })).toBe(1);
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: editItem.id } })).status).toBe("cancelled");
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).status).toBe("pending");
    // The edited content stays on the decision's record.
    expect((await decisionsOf(itemId))[0].content).toMatchObject({ statement: "Members must be able to renew a loan online up to three times." });
    // The item can be decided afresh on version 1, and edited again to a new version 2.
    at(20_000);
    expect((await decideReviewItem(ben, itemId, { action: "edit", version: 1, content: { statement: "Members must renew online." } })).version).toBe(2);
  });

  it("takes one approval of two back", async () => {
    const { itemId } = await world.draft({ requiredApprovals: 2 });
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    at(1_000);
    expect((await undoDecision(ann, itemId)).status).toBe("pending");
    const view = (await listReviewItems(ben, { projectId: world.projectId, status: "pending", limit: 100 })).items.find((item) => item.id === itemId)!;
    expect(view).toMatchObject({ approvals: 0, requiredApprovals: 2, decision: null });
    // Ann may approve again: her first approval no longer counts.
    expect((await decideReviewItem(ann, itemId, { action: "approve", version: 1 })).approvals).toBe(1);
  });
});

describe("an undo after the decision let work go on", () => {
  it("sends a run not yet picked up back to waiting, and marks work drafted from the approval stale", async () => {
    const own = await reviewWorld("undo-run");
    const [cleo] = own.reviewers;
    const { itemId, artifactId } = await own.draft();
    const step = await db().stepRun.findFirstOrThrow({ where: { runId: own.runId } });
    const story = await db().artifact.create({
      data: { projectId: own.projectId, stageId: own.stageId, runId: own.runId, stepRunId: step.id, kind: "user_story", ref: "US-1", status: "pending_review", derivedFrom: { create: [{ parentId: artifactId }] } },
    });

    await decideReviewItem(cleo, itemId, { action: "approve", version: 1 });
    // The run's last pending item is decided: the run is queued to go on.
    expect((await db().run.findUniqueOrThrow({ where: { id: own.runId } })).status).toBe("queued");

    await undoDecision(cleo, itemId);
    expect((await db().run.findUniqueOrThrow({ where: { id: own.runId } })).status).toBe("waiting_review");
    expect(await db().artifact.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ stale: true, staleReason: expect.stringContaining("approval was taken back") });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: artifactId, action: "review.undone" } });
    expect(audit.after).toMatchObject({ runPaused: true, stale: ["US-1"] });
  });
});

describe("the owner's reopen", () => {
  it("reopens a decided item any time before sign-off, and nothing after", async () => {
    const stage = await reviewWorld("reopen");
    const [alice, bob] = stage.reviewers;
    const first = await stage.draft();
    const second = await stage.draft();
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    await decideReviewItem(alice, first.itemId, { action: "approve", version: 1 });
    await decideReviewItem(bob, second.itemId, { action: "reject", version: 1, comment: "Duplicate of the first." });
    at(86_400_000);
    const reopened = await undoDecision(stage.owner, second.itemId);
    expect(reopened).toMatchObject({ kind: "reopen", status: "pending" });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: second.artifactId } })).status).toBe("pending_review");
    expect(await db().auditEvent.count({ where: { subjectId: second.artifactId, action: "review.reopened" } })).toBe(1);
    const ownerView = (await listReviewItems(stage.owner, { projectId: stage.projectId, status: "decided", limit: 10 })).items;
    expect(ownerView.map((item) => [item.id, item.canReopen])).toEqual([[first.itemId, true]]);

    await decideReviewItem(alice, second.itemId, { action: "approve", version: 1 });
    await db().run.update({ where: { id: stage.runId }, data: { status: "completed" } });
    await signOffStage(stage.owner, stage.projectId, "requirements", {});
    const afterSignOff = await refusal(undoDecision(stage.owner, first.itemId));
    expect(afterSignOff.code).toBe("conflict");
    expect(afterSignOff.details).toMatchObject({ reason: "signed_off" });
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: first.itemId } })).status).toBe("decided");
  });
});

describe("POST /api/v1/review-items/{id}/undo", () => {
  it("undoes the caller's decision and answers 409 when there is nothing to undo", async () => {
    const { itemId } = await world.draft();
    const token = (await createTokenForEmail(systemActor("test"), ann.email, "undo")).secret;
    await api(token).fails("undoReviewDecision", { params: { id: itemId } }, 409);
    await api(token).ok("decideReviewItem", { params: { id: itemId }, json: { action: "approve", version: 1 } });
    expect(await api(token).ok("undoReviewDecision", { params: { id: itemId } })).toMatchObject({ id: itemId, kind: "undo", status: "pending" });
  });
});
