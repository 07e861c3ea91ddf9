import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { TestCasesInput } from "./schema";

/** draft-test-cases for a hosted model: one concrete test per acceptance criterion. */
export function draftTestCasesPrompt(input: TestCasesInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "test_cases_draft",
    role: "You are a senior test engineer. You write test cases that check the approved acceptance criteria.",
    rules: [
      "- Exactly one test case per acceptance criterion: storyId and criterionIndex (0-based) say which.",
      "- Do not restate the criterion. Use concrete data a tester can set up: a named person, a numbered record, and for every limit the values on both sides of it (e.g. 20.01 and 20.00 for 'above 20 euros').",
      "- given sets up the state, when is one action or event, then is what the tester observes, with the expected values.",
      "- type is one of functional, performance, security, accessibility, reliability, compatibility, compliance; priority is high for money, security, legal and prohibitions, low when the criterion has no checkable value.",
      "- When a criterion has no value to check against (e.g. 'fast'), write the test with the value you would propose and say so in 'unsure'.",
    ],
    task: "Draft the test cases for the acceptance criteria of these approved stories.",
    input,
    drawCode: options.drawCode,
  });
}
