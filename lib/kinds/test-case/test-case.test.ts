import { describe, expect, it } from "vitest";
import { checkTestCase } from "./checks";
import { testCaseContentSchema, type TestCaseContent } from "./schema";

const criterion = { given: "a supervisor using the app", when: "a refund above 20 euros is submitted", then: "the refund waits for a supervisor's approval" };
const test: TestCaseContent = {
  title: "US-12 criterion 1: boundary of 'above 20 euros'",
  storyId: "us-12",
  criterionIndex: 0,
  criterion,
  given: "refund R-1012 at 20.01 euros, and refund R-1013 at 20.00 euros, both for rider Ana",
  when: "rider Ana submits both",
  then: "R-1012 shows 'awaiting approval' in supervisor Eli's queue; R-1013 is paid at once",
  type: "functional",
  priority: "high",
  derivedFrom: ["us-12", "req-12"],
  unsure: null,
};
const context = { upstreamIds: new Set(["us-12", "req-12"]) };
const codes = (content: TestCaseContent) => checkTestCase(content, context).map((flag) => flag.code);

describe("test case", () => {
  it("accepts a test case and refuses an unknown type or priority", () => {
    expect(testCaseContentSchema.safeParse(test).success).toBe(true);
    expect(testCaseContentSchema.safeParse({ ...test, type: "smoke" }).success).toBe(false);
    expect(testCaseContentSchema.safeParse({ ...test, priority: "urgent" }).success).toBe(false);
  });

  it("raises nothing on a test with concrete data", () => {
    expect(checkTestCase(test, context)).toEqual([]);
  });

  it("flags a test that restates its criterion without data", () => {
    const restated = { ...test, given: criterion.given, when: criterion.when, then: `${criterion.then}.` };
    const [flag] = checkTestCase(restated, context);
    expect(flag.code).toBe("restates_criterion");
    expect(flag.message).toMatch(/name the person, the record and the values/);
  });

  it("flags an outcome a tester cannot tell pass from fail", () => {
    expect(codes({ ...test, then: "R-1012 is handled appropriately" })).toEqual(["untestable_outcome"]);
  });
});
