import { describe, expect, it } from "vitest";
import { checkTask } from "./checks";
import { taskContentSchema, type TaskContent } from "./schema";

const task: TaskContent = {
  storyId: "us-2",
  title: "Ensure the lock opens within 5 seconds",
  build: ["Follow ADR-4 (confirm user actions within the stated time)"],
  definitionOfDone: ["An automated test of criterion 1 passes: when the rider scans the code, the lock opens within 5 seconds", "Measured on staging: the p95 over 100 tries is within 5 seconds"],
  reviewChecklist: ["'within 5 seconds' is a named setting"],
  derivedFrom: ["us-2", "req-2", "adr-4"],
  unsure: null,
};
const context = { upstreamIds: new Set(["us-2", "req-2", "adr-4"]) };

describe("task", () => {
  it("accepts a task and refuses one without a definition of done", () => {
    expect(taskContentSchema.safeParse(task).success).toBe(true);
    expect(taskContentSchema.safeParse({ ...task, definitionOfDone: [] }).error?.issues[0].message).toBe("a task needs a definition of done");
  });

  it("raises nothing on a checkable definition of done", () => {
    expect(checkTask(task, context)).toEqual([]);
  });

  it("flags definition-of-done items nobody can check, quoting them", () => {
    const [flag] = checkTask({ ...task, definitionOfDone: ["Done", "The lock is fast enough", ...task.definitionOfDone] }, context);
    expect(flag).toMatchObject({ code: "uncheckable_done", words: ["Done", "The lock is fast enough"] });
  });

  it("accepts a vague word that is only quoted, as in 'the figure replacing \"fast\"'", () => {
    expect(checkTask({ ...task, definitionOfDone: ["The figure replacing 'fast' in criterion 1 is approved by the owner of the requirement, and an automated test against it passes"] }, context)).toEqual([]);
  });

  it("flags a task whose story is not among its parents", () => {
    expect(checkTask({ ...task, derivedFrom: ["req-2"] }, context).map((flag) => flag.code)).toEqual(["story_not_traced"]);
  });
});
