import { describe, expect, it } from "vitest";
import { signOffBlocker, type SignOffFacts } from "./readiness";
import { stageKeys } from "./stages";

const ready: SignOffFacts = { key: "requirements", status: "open", openConflicts: [], pending: 0, needsAdjudication: [], deciderIds: ["reviewer"], drafting: false, approved: 12, stale: [] };

describe("signOffBlocker", () => {
  it("lets the owner sign off an open stage with approved work that someone else reviewed", () => {
    expect(signOffBlocker(ready, "owner")).toBeNull();
    expect(signOffBlocker({ ...ready, deciderIds: [] }, "owner")).toBeNull();
  });

  it.each<[string, Partial<SignOffFacts>, string, RegExp]>([
    ["a locked stage", { status: "locked" }, "conflict", /locked until the stage before/],
    ["a signed-off stage", { status: "signed_off" }, "conflict", /already signed off/],
    ["an open conflict, named", { openConflicts: [{ id: "c1", ref: "CONF-2", description: "7 vs 14 days" }] }, "conflict", /CONF-2 \(7 vs 14 days\) is not resolved/],
    ["pending items", { pending: 3 }, "conflict", /3 items are still waiting/],
    ["a disagreement, named", { needsAdjudication: [{ id: "i1", ref: "REQ-4" }] }, "conflict", /REQ-4 needs adjudication: its approvers disagree/],
    ["decisions all by the owner", { deciderIds: ["owner", "owner"] }, "forbidden", /Every decision in this stage was yours/],
    ["a drafting run", { drafting: true }, "conflict", /still drafting/],
    ["stale work, named", { stale: ["US-3"] }, "conflict", /US-3 is stale: something it was drafted from changed\. Run the stage again/],
    ["much stale work, the first few named", { stale: ["US-1", "US-2", "TC-4", "TC-5", "TC-6"] }, "conflict", /US-1, US-2, TC-4 and 2 more are stale/],
    ["nothing approved", { approved: 0 }, "conflict", /Nothing has been approved/],
  ])("refuses %s", (_, change, code, message) => {
    const blocker = signOffBlocker({ ...ready, ...change }, "owner");
    expect(blocker?.code).toBe(code);
    expect(blocker?.message).toMatch(message);
  });

  it("names conflicts before pending items, since resolving them decides some of those", () => {
    const blocker = signOffBlocker({ ...ready, pending: 4, openConflicts: [{ id: "c1", ref: "CONF-1", description: "x" }] }, "owner");
    expect(blocker?.details).toMatchObject({ reason: "open_conflicts", conflicts: [{ id: "c1", ref: "CONF-1" }] });
  });

  it("refuses every stage with nothing approved, since every stage drafts its work", () => {
    for (const key of stageKeys) expect(signOffBlocker({ ...ready, key, approved: 0, deciderIds: [] }, "owner")?.message).toMatch(/Nothing has been approved/);
  });
});
