import { beforeAll, describe, expect, it } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { writeRoutedArtifact } from "@/lib/artifacts/write";
import { db } from "@/lib/db";
import { updatePolicy } from "@/lib/policies/service";
import { adjudicateReviewItem, decideReviewItem, listReviewItems } from "@/lib/review/service";
import { pendingReviewCount } from "@/lib/review/views";
import { signOffStage } from "@/lib/stages/service";
import { createTokenForEmail } from "@/lib/tokens/service";
import { transact } from "@/lib/transaction";
import { api } from "./api/api-client";
import { refusal, reviewWorld, type ReviewWorld } from "./support/review-world";

/**
 * The two-person rule: the policy (per step and per category) says how many different
 * reviewers must approve a draft; "1 of 2" keeps it pending; the same person cannot approve
 * twice; approvers who disagree send it to the stage owner, and the stage cannot be signed off
 * until the owner settles it. Calibration learns only the final outcome.
 */
let world: ReviewWorld;
let ann: UserActor;
let ben: UserActor;

beforeAll(async () => {
  world = await reviewWorld("approvals");
  [ann, ben] = world.reviewers;
});

const labelOf = (artifactId: string) => db().draftLabel.findUnique({ where: { artifactId } });

describe("the policy's requiredApprovals", () => {
  it("gives items of a category the approvals its override asks for, and others the step's", async () => {
    const { version } = await updatePolicy(world.admin, "synthesize-requirements", { categories: { security: { requiredApprovals: 2 } }, reason: "security needs two people" });
    const refused = await refusal(updatePolicy(world.admin, "synthesize-requirements", { requiredApprovals: 6 }));
    expect(refused.code).toBe("invalid");
    expect(refused.message).toMatch(/requiredApprovals must be at most 5/);

    const step = await db().stepRun.findFirstOrThrow({ where: { runId: world.runId } });
    const write = (ref: string, category: string) =>
      transact((tx) =>
        writeRoutedArtifact(tx, {
          projectId: world.projectId,
          stageId: world.stageId,
          runId: world.runId,
          draftStepRunId: step.id,
          kind: "requirement",
          ref,
          content: { statement: `Every access to member record ${ref} must be logged.`, category, sources: [], unsure: null },
          confidence: 0.6,
          model: "offline",
          derivedFrom: [],
          routing: {
            outcome: "review",
            reasons: [{ code: "low_confidence", detail: "the drafter's confidence 0.60 is below the policy minimum 0.70" }],
            policy: { minConfidence: 0.7, maxCostUsd: 0.5, auditSampleRate: 0, alwaysReview: false, targetErrorRate: 0.03, confidenceLevel: 0.95 },
            clean: false,
            eligible: false,
          },
          basis: {
            stepKey: "synthesize-requirements",
            category,
            features: { rawConfidence: 0.6, category, flags: [], modelId: "offline", sourceKind: "interview" },
            calibration: { probability: 0.5, threshold: null, labels: 0, decisionsNeeded: null, version: 0 },
            policyVersion: version,
          },
        }),
      );
    const security = await write("SEC-1", "security");
    const functional = await write("FUN-1", "functional");
    expect((await db().reviewItem.findFirstOrThrow({ where: { artifactId: security.id } })).requiredApprovals).toBe(2);
    expect((await db().reviewItem.findFirstOrThrow({ where: { artifactId: functional.id } })).requiredApprovals).toBe(1);

    const item = await db().reviewItem.findFirstOrThrow({ where: { artifactId: security.id } });
    const first = await decideReviewItem(ann, item.id, { action: "approve", version: 1 });
    expect(first).toMatchObject({ status: "pending", approvals: 1, requiredApprovals: 2 });
    expect((await decideReviewItem(ben, item.id, { action: "approve", version: 1 })).status).toBe("approved");
  });
});

describe("two approvals", () => {
  it("keeps the draft pending at 1 of 2, refuses the same person twice, and approves at 2 of 2", async () => {
    const { itemId, artifactId, ref } = await world.draft({ requiredApprovals: 2, category: "security" });
    const first = await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    expect(first).toMatchObject({ status: "pending", approvals: 1, requiredApprovals: 2, artifactId });
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: "pending", decidedAt: null });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: artifactId } })).status).toBe("pending_review");
    expect(await labelOf(artifactId)).toBeNull();

    const view = (await listReviewItems(ann, { projectId: world.projectId, status: "pending", limit: 100 })).items.find((item) => item.id === itemId)!;
    expect(view).toMatchObject({ approvals: 1, requiredApprovals: 2, canDecide: false });
    expect(view.refusal).toMatch(/already approved/);
    expect((await listReviewItems(ben, { projectId: world.projectId, status: "pending", limit: 100 })).items.find((item) => item.id === itemId)!.canDecide).toBe(true);

    const twice = await refusal(decideReviewItem(ann, itemId, { action: "approve", version: 1 }));
    expect(twice.code).toBe("conflict");
    expect(twice.message).toBe(`You already approved ${ref}; approval 2 of 2 must come from another reviewer (two-person rule).`);
    expect(await db().reviewDecision.count({ where: { reviewItemId: itemId } })).toBe(1);

    const second = await decideReviewItem(ben, itemId, { action: "approve", version: 1 });
    expect(second).toMatchObject({ status: "approved", approvals: 2, requiredApprovals: 2 });
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).status).toBe("decided");
    expect((await db().artifact.findUniqueOrThrow({ where: { id: artifactId } })).status).toBe("approved");
    expect(await labelOf(artifactId)).toMatchObject({ outcome: "approved_unchanged", decidedById: ben.userId });
    const audits = await db().auditEvent.findMany({ where: { subjectId: artifactId, action: "review.approved" }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.after)).toMatchObject([
      { status: "pending_review", approvals: 1, requiredApprovals: 2, itemStatus: "pending" },
      { status: "approved", approvals: 2, requiredApprovals: 2, itemStatus: "approved" },
    ]);
  });

  it("rejects on one rejection when nobody approved yet", async () => {
    const { itemId, artifactId } = await world.draft({ requiredApprovals: 2 });
    expect(await decideReviewItem(ann, itemId, { action: "reject", version: 1, comment: "Not what the notes say." })).toMatchObject({ status: "rejected", approvals: 0 });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: artifactId } })).status).toBe("rejected");
    expect(await labelOf(artifactId)).toMatchObject({ outcome: "rejected" });
  });
});

describe("a disagreement", () => {
  it("goes to the stage owner, blocks sign-off until settled, and keeps the run waiting", async () => {
    const stage = await reviewWorld("adjudication");
    const [alice, bob] = stage.reviewers;
    const clear = await stage.draft();
    const disputed = await stage.draft({ requiredApprovals: 2 });
    await decideReviewItem(alice, clear.itemId, { action: "approve", version: 1 });
    await decideReviewItem(alice, disputed.itemId, { action: "approve", version: 1 });
    const rejection = await decideReviewItem(bob, disputed.itemId, { action: "reject", version: 1, comment: "It contradicts the director's email." });
    expect(rejection).toMatchObject({ status: "needs_adjudication", approvals: 1, requiredApprovals: 2 });
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: disputed.itemId } })).status).toBe("needs_adjudication");
    expect((await db().artifact.findUniqueOrThrow({ where: { id: disputed.artifactId } })).status).toBe("pending_review");
    expect(await labelOf(disputed.artifactId)).toBeNull();
    expect((await db().run.findUniqueOrThrow({ where: { id: stage.runId } })).status).toBe("waiting_review");

    const late = await refusal(decideReviewItem(stage.reviewers[2], disputed.itemId, { action: "approve", version: 1 }));
    expect(late.details).toMatchObject({ reason: "needs_adjudication" });

    const blocked = await refusal(signOffStage(stage.owner, stage.projectId, "requirements", {}));
    expect(blocked.code).toBe("conflict");
    expect(blocked.message).toBe(`${disputed.ref} needs adjudication: its approvers disagree. Settle it before signing off.`);
    expect(blocked.details).toMatchObject({ reason: "needs_adjudication", items: [{ id: disputed.itemId, ref: disputed.ref }] });

    const owned = await listReviewItems(stage.owner, { projectId: stage.projectId, status: "needs_adjudication", limit: 10 });
    expect(owned.items.map((item) => [item.id, item.canAdjudicate])).toEqual([[disputed.itemId, true]]);
    // The owner's nav badge counts the disagreement waiting for them; a reviewer's does not.
    expect(await pendingReviewCount(stage.owner)).toBe(1);
    expect(await pendingReviewCount(alice)).toBe(0);

    expect((await refusal(adjudicateReviewItem(alice, disputed.itemId, { action: "approve", comment: "Mine." }))).code).toBe("forbidden");
    expect((await refusal(adjudicateReviewItem(stage.owner, disputed.itemId, { action: "approve", comment: " " }))).code).toBe("invalid");
    expect((await refusal(adjudicateReviewItem(stage.owner, clear.itemId, { action: "approve", comment: "Fine." }))).details).toMatchObject({ reason: "not_disputed" });

    const settled = await adjudicateReviewItem(stage.owner, disputed.itemId, { action: "approve", comment: "The email predates the decision to allow renewals online." });
    expect(settled).toMatchObject({ status: "approved", action: "approve", approvals: 1, requiredApprovals: 2 });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: disputed.artifactId } })).status).toBe("approved");
    expect(await labelOf(disputed.artifactId)).toMatchObject({ outcome: "approved_unchanged", decidedById: stage.owner.userId });
    expect(await db().auditEvent.count({ where: { subjectId: disputed.artifactId, action: "review.adjudicated" } })).toBe(1);
    // Nothing waits any more, so the run resumed; it has nothing left to draft here.
    expect((await db().run.findUniqueOrThrow({ where: { id: stage.runId } })).status).toBe("queued");
    await db().run.update({ where: { id: stage.runId }, data: { status: "completed" } });

    const signOff = await signOffStage(stage.owner, stage.projectId, "requirements", {});
    expect(signOff).toBeTruthy();
  });

  it("is settled through the API by the stage owner only", async () => {
    const { itemId } = await world.draft({ requiredApprovals: 2 });
    await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    await decideReviewItem(ben, itemId, { action: "reject", version: 1, comment: "Too vague." });
    const ownerToken = (await createTokenForEmail(systemActor("test"), world.owner.email, "approvals")).secret;
    const annToken = (await createTokenForEmail(systemActor("test"), ann.email, "approvals")).secret;
    await api(annToken).fails("adjudicateReviewItem", { params: { id: itemId }, json: { action: "approve", comment: "Mine." } }, 403);
    await api(ownerToken).fails("adjudicateReviewItem", { params: { id: itemId }, json: { action: "reject" } }, 422);
    const settled = await api(ownerToken).ok("adjudicateReviewItem", { params: { id: itemId }, json: { action: "reject", comment: "Ben is right: too vague." } });
    expect(settled).toMatchObject({ status: "rejected", action: "reject" });
  });
});
