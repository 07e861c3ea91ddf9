import type { KindDefinition } from "../types";
import { checkTestCase } from "./checks";
import { draftTestCasesPrompt } from "./prompt";
import { testCaseContentSchema, testCasesDraftSchema, testCasesInputSchema, testPriorities, testTypes, type TestCaseContent } from "./schema";

/** The test case kind (testing): what the kind registry and the stage engine need. */
export const definition = {
  kind: "test_case",
  stage: "testing",
  prefix: "TC",
  label: "Test case",
  contentSchema: testCaseContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "storyId", label: "Story", type: "reference" },
    { key: "criterion", label: "Criterion it tests", type: "record", keys: ["given", "when", "then"], readOnly: true },
    { key: "given", label: "Given", type: "longText" },
    { key: "when", label: "When", type: "longText" },
    { key: "then", label: "Then", type: "longText" },
    { key: "type", label: "Type", type: "choice", options: testTypes },
    { key: "priority", label: "Priority", type: "choice", options: testPriorities },
  ],
  summary: (content: TestCaseContent) => content.title,
  check: checkTestCase,
  draftStep: { key: "draft-test-cases", outputName: "test_cases_draft", listKey: "testCases", reads: ["requirement", "user_story"], inputSchema: testCasesInputSchema, outputSchema: testCasesDraftSchema, prompt: draftTestCasesPrompt },
} as const satisfies KindDefinition<TestCaseContent>;
