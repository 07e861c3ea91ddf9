import { describe, expect, it } from "vitest";
import { checkMilestone } from "./checks";
import { milestoneContentSchema, type MilestoneContent } from "./schema";

const milestone: MilestoneContent = {
  position: 2,
  title: "Refunds",
  goal: "Riders can request a refund; every refund above 20 euros is approved by a supervisor.",
  storyIds: ["us-6", "us-12"],
  dependsOn: [1],
  size: "small",
  risks: ["REQ-12 is a legal constraint"],
  derivedFrom: ["us-6", "us-12", "req-6", "req-12"],
  unsure: null,
};
const context = { upstreamIds: new Set(["us-6", "us-12", "req-6", "req-12"]) };
const codes = (content: MilestoneContent) => checkMilestone(content, context).map((flag) => flag.code);

describe("milestone", () => {
  it("accepts a traced milestone and refuses one without parents or stories", () => {
    expect(milestoneContentSchema.safeParse(milestone).success).toBe(true);
    expect(milestoneContentSchema.safeParse({ ...milestone, derivedFrom: [] }).error?.issues[0].message).toBe("a draft must name the upstream artifacts it was drafted from");
    expect(milestoneContentSchema.safeParse({ ...milestone, storyIds: [] }).success).toBe(false);
    expect(milestoneContentSchema.safeParse({ ...milestone, size: "huge" }).success).toBe(false);
  });

  it("raises nothing on a clean milestone", () => {
    expect(checkMilestone(milestone, context)).toEqual([]);
  });

  it("flags a dependency on itself or a later milestone, saying which", () => {
    const [flag] = checkMilestone({ ...milestone, dependsOn: [1, 3] }, context);
    expect(flag).toMatchObject({ code: "depends_on_later", words: ["3"] });
    expect(flag.message).toMatch(/depends on milestone 3, which ships at the same time or later/);
    expect(codes({ ...milestone, dependsOn: [2] })).toEqual(["depends_on_later"]);
  });

  it("flags parents that are not approved upstream work, and stories missing from the trace", () => {
    expect(checkMilestone({ ...milestone, derivedFrom: ["us-6", "us-99"] }, context).map((flag) => [flag.code, flag.words])).toEqual([
      ["untraced", ["us-99"]],
      ["story_not_traced", ["us-12"]],
    ]);
  });

  it("flags a goal nobody can check and a milestone too big to follow", () => {
    expect(codes({ ...milestone, goal: "The app is fast and user-friendly." })).toEqual(["vague_goal"]);
    const many = Array.from({ length: 9 }, (_, index) => `us-${index + 20}`);
    expect(checkMilestone({ ...milestone, storyIds: many, derivedFrom: many }, { upstreamIds: new Set(many) }).map((flag) => flag.code)).toEqual(["oversized"]);
  });
});
