import { describe, expect, it } from "vitest";
import { statusAfterVote, statusOfVotes, undoableUntil, undoKind, voteRefusal, UNDO_WINDOW_MS } from "./approvals";

const none = { approvals: 0, rejections: 0, approvedByActor: false };

describe("the two-person rule", () => {
  it("approves once enough different reviewers approved", () => {
    expect(statusAfterVote(1, none, "approve")).toBe("approved");
    expect(statusAfterVote(2, none, "approve")).toBe("pending");
    expect(statusAfterVote(2, { ...none, approvals: 1 }, "approve")).toBe("approved");
    expect(statusAfterVote(3, { ...none, approvals: 1 }, "approve")).toBe("pending");
  });

  it("rejects on one no when nobody approved, and sends a yes and a no to adjudication", () => {
    expect(statusAfterVote(2, none, "reject")).toBe("rejected");
    expect(statusAfterVote(2, { ...none, approvals: 1 }, "reject")).toBe("needs_adjudication");
    expect(statusAfterVote(2, { ...none, rejections: 1 }, "approve")).toBe("needs_adjudication");
    expect(statusOfVotes(2, { approvals: 2, rejections: 1 })).toBe("needs_adjudication");
  });

  it("refuses a second approval by the same person, and nothing else", () => {
    expect(voteRefusal(2, { approvals: 1, rejections: 0, approvedByActor: true }, "approve", "REQ-3")).toMatch(/already approved REQ-3; approval 2 of 2 must come from another reviewer/);
    expect(voteRefusal(2, { approvals: 1, rejections: 0, approvedByActor: true }, "reject", "REQ-3")).toBeNull();
    expect(voteRefusal(2, { approvals: 1, rejections: 0, approvedByActor: false }, "approve", "REQ-3")).toBeNull();
  });
});

describe("taking a decision back", () => {
  const decidedAt = new Date("2026-06-01T10:00:00Z");
  const at = (ms: number) => new Date(decidedAt.getTime() + ms);
  const context = { actorId: "ann", deciderId: "ann", decidedAt, isOwner: false, stageSignedOff: false };

  it("lets the decider undo for ten seconds, then not", () => {
    expect(undoKind(context, at(UNDO_WINDOW_MS))).toBe("undo");
    expect(undoKind(context, at(UNDO_WINDOW_MS + 1))).toBeNull();
    expect(undoableUntil(decidedAt)).toEqual(at(10_000));
  });

  it("lets the stage owner reopen any time until sign-off, and nobody after", () => {
    expect(undoKind({ ...context, actorId: "olga", isOwner: true }, at(86_400_000))).toBe("reopen");
    expect(undoKind({ ...context, actorId: "olga", isOwner: true, stageSignedOff: true }, at(1))).toBeNull();
    expect(undoKind({ ...context, stageSignedOff: true }, at(1))).toBeNull();
    expect(undoKind({ ...context, actorId: "bob" }, at(1))).toBeNull();
  });
});
