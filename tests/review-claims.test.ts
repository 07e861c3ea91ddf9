import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { claimReviewItem, CLAIM_LEASE_MS, releaseReviewItem } from "@/lib/review/claims";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { createTokenForEmail } from "@/lib/tokens/service";
import { systemActor } from "@/lib/actors";
import { api } from "./api/api-client";
import { refusal, reviewWorld, type ReviewWorld } from "./support/review-world";

/**
 * Claims: one conditional UPDATE decides who holds an item, so of many reviewers racing for it
 * exactly one wins; while the claim is live nobody else decides it; the holder or the owner
 * releases it; the owner hands it to a reviewer; the queue shows it and can pass it over.
 */
let world: ReviewWorld;
let ann: UserActor;
let ben: UserActor;
let cleo: UserActor;

beforeAll(async () => {
  world = await reviewWorld("claims");
  [ann, ben, cleo] = world.reviewers;
});

const claimAudits = (itemId: string) => db().auditEvent.count({ where: { subjectId: itemId, action: { startsWith: "review.claim" } } });

describe("claiming a review item", () => {
  it("gives exactly one of 50 concurrent claimers the item", async () => {
    const { itemId } = await world.draft();
    // Fifty reviewers of the stage, written directly: the race, not the sign-up, is under test.
    const racers: UserActor[] = [];
    for (let i = 0; i < 50; i += 1) {
      const user = await db().user.create({ data: { email: `racer${i}@claims.test`, name: `Racer ${i}`, passwordHash: "unused" } });
      await db().stageReviewer.create({ data: { stageId: world.stageId, userId: user.id } });
      racers.push({ type: "user", userId: user.id, email: user.email, name: user.name, role: "member", tokenId: null });
    }
    const outcomes = await Promise.allSettled(racers.map((racer) => claimReviewItem(racer, itemId)));
    const winners = outcomes.flatMap((outcome, i) => (outcome.status === "fulfilled" ? [racers[i]] : []));
    expect(winners).toHaveLength(1);
    const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected").map((outcome) => toAppError(outcome.reason));
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.code).toBe("conflict");
      expect(loser.details).toMatchObject({ reason: "claimed", claimedBy: { email: winners[0].email } });
    }
    const item = await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(item.claimedById).toBe(winners[0].userId);
    expect(await claimAudits(itemId)).toBe(1);
  });

  it("refuses a decision by anyone but the live holder, naming them; the holder decides", async () => {
    const { itemId, ref } = await world.draft();
    const claim = await claimReviewItem(ann, itemId);
    expect(claim.claimedBy).toEqual({ email: ann.email, name: ann.name });
    expect(new Date(claim.expiresAt).getTime() - Date.now()).toBeGreaterThan(CLAIM_LEASE_MS - 5_000);

    const refused = await refusal(decideReviewItem(ben, itemId, { action: "approve", version: 1 }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain(`ann (${ann.email}) is working on ${ref}`);
    expect(refused.details).toMatchObject({ reason: "claimed", claimedBy: { email: ann.email } });
    expect(await db().reviewDecision.count({ where: { reviewItemId: itemId } })).toBe(0);

    await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    const item = await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(item).toMatchObject({ status: "decided", claimedById: null, claimExpiresAt: null });
  });

  it("renews the holder's claim without a new audit event, and lets anyone take a lapsed one", async () => {
    const { itemId } = await world.draft();
    const first = await claimReviewItem(ann, itemId);
    const renewed = await claimReviewItem(ann, itemId);
    expect(new Date(renewed.expiresAt).getTime()).toBeGreaterThanOrEqual(new Date(first.expiresAt).getTime());
    expect(await claimAudits(itemId)).toBe(1);

    await db().reviewItem.update({ where: { id: itemId }, data: { claimExpiresAt: new Date(Date.now() - 1_000) } });
    expect((await claimReviewItem(ben, itemId)).claimedBy.email).toBe(ben.email);
    const audits = await db().auditEvent.findMany({ where: { subjectId: itemId, action: "review.claimed" }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.actorLabel)).toEqual([ann.email, ben.email]);
    // A lapsed claim does not hold anyone back from deciding either.
    await db().reviewItem.update({ where: { id: itemId }, data: { claimExpiresAt: new Date(Date.now() - 1_000) } });
    expect((await decideReviewItem(cleo, itemId, { action: "approve", version: 1 })).status).toBe("approved");
  });

  it("releases: the holder or the stage owner, not another reviewer", async () => {
    const { itemId } = await world.draft();
    await claimReviewItem(ann, itemId);
    const refused = await refusal(releaseReviewItem(ben, itemId));
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/only they or the stage owner can release it/);

    expect(await releaseReviewItem(ann, itemId)).toEqual({ id: itemId, released: true });
    expect(await releaseReviewItem(ann, itemId)).toEqual({ id: itemId, released: false });
    await claimReviewItem(ben, itemId);
    expect(await releaseReviewItem(world.owner, itemId)).toEqual({ id: itemId, released: true });
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).claimedById).toBeNull();
    expect(await db().auditEvent.count({ where: { subjectId: itemId, action: "review.claim_released" } })).toBe(2);
    expect((await refusal(releaseReviewItem(world.outsider, itemId))).code).toBe("forbidden");
  });

  it("lets the stage owner hand an item to a reviewer, over a live claim, and nobody else", async () => {
    const { itemId } = await world.draft();
    await claimReviewItem(ann, itemId);
    const assigned = await claimReviewItem(world.owner, itemId, { assignTo: cleo.email });
    expect(assigned.claimedBy.email).toBe(cleo.email);
    expect((await db().reviewItem.findUniqueOrThrow({ where: { id: itemId } })).claimedById).toBe(cleo.userId);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { subjectId: itemId, action: "review.claim_assigned" } });
    expect(audit.before).toEqual({ claimedBy: ann.email });

    expect((await refusal(claimReviewItem(ann, itemId, { assignTo: ann.email }))).code).toBe("forbidden");
    const notReviewer = await refusal(claimReviewItem(world.owner, itemId, { assignTo: world.outsider.email }));
    expect(notReviewer.code).toBe("invalid");
    expect(notReviewer.message).toMatch(/not a reviewer of this stage/);
    expect((await refusal(claimReviewItem(world.owner, itemId, { assignTo: "nobody@claims.test" }))).code).toBe("invalid");
    // The owner is no reviewer of the stage, so cannot claim for themselves.
    expect((await refusal(claimReviewItem(world.owner, itemId))).code).toBe("forbidden");
  });

  it("refuses to claim a decided item, and the run's starter", async () => {
    const { itemId } = await world.draft();
    await decideReviewItem(ann, itemId, { action: "approve", version: 1 });
    const decided = await refusal(claimReviewItem(ben, itemId));
    expect(decided.code).toBe("conflict");
    expect(decided.details).toMatchObject({ reason: "already_decided" });
    expect((await refusal(claimReviewItem(ben, "no-such-item"))).code).toBe("not_found");
  });
});

describe("the queue and claims", () => {
  it("shows who holds an item, and passes over items others hold when asked", async () => {
    const held = await world.draft();
    const free = await world.draft();
    await claimReviewItem(ann, held.itemId);
    const seenByBen = await listReviewItems(ben, { projectId: world.projectId, status: "pending", limit: 100 });
    const heldView = seenByBen.items.find((item) => item.id === held.itemId)!;
    expect(heldView.claim).toMatchObject({ by: { email: ann.email, name: ann.name }, mine: false });
    expect(heldView.canDecide).toBe(false);
    expect(seenByBen.items.find((item) => item.id === free.itemId)!.claim).toBeNull();

    const next = await listReviewItems(ben, { projectId: world.projectId, status: "pending", limit: 100, skipClaimed: true });
    expect(next.items.map((item) => item.id)).not.toContain(held.itemId);
    expect(next.items.map((item) => item.id)).toContain(free.itemId);
    const mine = await listReviewItems(ann, { projectId: world.projectId, status: "pending", limit: 100, skipClaimed: true });
    expect(mine.items.find((item) => item.id === held.itemId)!.claim).toMatchObject({ mine: true });
    expect(mine.items.find((item) => item.id === held.itemId)!.canDecide).toBe(true);
  });
});

describe("POST and DELETE /api/v1/review-items/{id}/claim", () => {
  it("claims, answers 409 naming the holder, and releases", async () => {
    const { itemId } = await world.draft();
    const annToken = (await createTokenForEmail(systemActor("test"), ann.email, "claims")).secret;
    const benToken = (await createTokenForEmail(systemActor("test"), ben.email, "claims")).secret;
    const claimed = await api(annToken).ok("claimReviewItem", { params: { id: itemId } });
    expect(claimed.claimedBy).toEqual({ email: ann.email, name: ann.name });
    const held = await api(benToken).fails("claimReviewItem", { params: { id: itemId }, json: {} }, 409);
    expect(held.details).toMatchObject({ reason: "claimed", claimedBy: { email: ann.email } });
    await api(benToken).fails("decideReviewItem", { params: { id: itemId }, json: { action: "approve", version: 1 } }, 409);
    expect(await api(annToken).ok("releaseReviewItem", { params: { id: itemId } })).toEqual({ id: itemId, released: true });
    expect((await api(benToken).ok("claimReviewItem", { params: { id: itemId }, json: {} })).claimedBy.email).toBe(ben.email);
    await api(benToken).fails("claimReviewItem", { params: { id: itemId }, json: { assignTo: "not an email" } }, 422);
  });
});
