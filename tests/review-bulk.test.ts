import { beforeAll, describe, expect, it } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { bulkDecide } from "@/lib/review/bulk";
import { claimReviewItem } from "@/lib/review/claims";
import { createTokenForEmail } from "@/lib/tokens/service";
import { api } from "./api/api-client";
import { refusal, reviewWorld, type ReviewWorld } from "./support/review-world";

/**
 * Bulk decisions: one request, each item decided on its own through the same decision (checked,
 * recorded, audited), so an item that is refused does not stop the others.
 */
let world: ReviewWorld;
let ann: UserActor;
let ben: UserActor;

beforeAll(async () => {
  world = await reviewWorld("bulk");
  [ann, ben] = world.reviewers;
});

describe("a bulk decision", () => {
  it("approves each item on its own, and reports the ones refused without stopping", async () => {
    const a = await world.draft();
    const stale = await world.draft();
    const held = await world.draft();
    const twoPerson = await world.draft({ requiredApprovals: 2 });
    const b = await world.draft();
    await claimReviewItem(ben, held.itemId);
    const { results } = await bulkDecide(ann, {
      action: "approve",
      items: [
        { id: a.itemId, version: 1 },
        { id: stale.itemId, version: 2 },
        { id: held.itemId, version: 1 },
        { id: "no-such-item", version: 1 },
        { id: twoPerson.itemId, version: 1 },
        { id: b.itemId, version: 1 },
      ],
      comment: "Checked against the notes.",
    });
    expect(results).toEqual([
      { id: a.itemId, status: "approved" },
      { id: stale.itemId, status: "failed", error: { code: "conflict", message: expect.stringMatching(/current version is 1/) } },
      { id: held.itemId, status: "failed", error: { code: "conflict", message: expect.stringMatching(/ben \(ben@bulk\.test\) is working on/) } },
      { id: "no-such-item", status: "failed", error: { code: "not_found", message: "The review item was not found." } },
      { id: twoPerson.itemId, status: "pending" },
      { id: b.itemId, status: "approved" },
    ]);
    for (const item of [a, b]) {
      const [decision] = await db().reviewDecision.findMany({ where: { reviewItemId: item.itemId } });
      expect(decision).toMatchObject({ action: "approve", comment: "Checked against the notes.", decidedById: ann.userId });
      expect(await db().auditEvent.count({ where: { subjectId: item.artifactId, action: "review.approved" } })).toBe(1);
    }
    expect(await db().reviewDecision.count({ where: { reviewItemId: { in: [stale.itemId, held.itemId] } } })).toBe(0);
  });

  it("refuses a rejection without a comment, repeated items and an empty or oversized list", async () => {
    const a = await world.draft();
    expect((await refusal(bulkDecide(ann, { action: "reject", items: [{ id: a.itemId, version: 1 }] }))).code).toBe("invalid");
    expect((await refusal(bulkDecide(ann, { action: "approve", items: [{ id: a.itemId, version: 1 }, { id: a.itemId, version: 1 }] }))).message).toMatch(/each item once/);
    expect((await refusal(bulkDecide(ann, { action: "approve", items: [] }))).code).toBe("invalid");
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `item-${i}`, version: 1 }));
    expect((await refusal(bulkDecide(ann, { action: "approve", items: many }))).message).toMatch(/at most 100 items/);
    expect(await db().reviewDecision.count({ where: { reviewItemId: a.itemId } })).toBe(0);
  });
});

describe("POST /api/v1/review-items/bulk-decision", () => {
  it("rejects several items with one comment and answers each item's status", async () => {
    const a = await world.draft();
    const b = await world.draft();
    const token = (await createTokenForEmail(systemActor("test"), ann.email, "bulk")).secret;
    const body = await api(token).ok("bulkDecideReviewItems", {
      json: { action: "reject", items: [{ id: a.itemId, version: 1 }, { id: b.itemId, version: 3 }], comment: "Not in the notes." },
    });
    expect(body.results.map((result) => [result.id, result.status, result.error?.code])).toEqual([
      [a.itemId, "rejected", undefined],
      [b.itemId, "failed", "conflict"],
    ]);
    const outsider = (await createTokenForEmail(systemActor("test"), world.outsider.email, "bulk")).secret;
    await api(outsider).fails("bulkDecideReviewItems", { json: { action: "approve", items: [{ id: b.itemId, version: 1 }] } }, 403);
    await api(token).fails("bulkDecideReviewItems", { json: { action: "approve", items: [{ id: "nothing", version: 1 }] } }, 404);
  });
});
