import { z } from "zod";
import { acceptanceCriterionSchema } from "@/lib/requirements/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** testing: one test case per acceptance criterion, with concrete data. */
export const testTypes = ["functional", "performance", "security", "accessibility", "reliability", "compatibility", "compliance"] as const;
export type TestType = (typeof testTypes)[number];
export const testPriorities = ["high", "medium", "low"] as const;
export type TestPriority = (typeof testPriorities)[number];

export const testCaseContentSchema = z.object({
  title: z.string().trim().min(1),
  storyId: z.string().min(1),
  criterionIndex: z.number().int().min(0).describe("0-based index of the acceptance criterion in the story"),
  criterion: acceptanceCriterionSchema.describe("the acceptance criterion it tests, copied as approved, so a reviewer sees both side by side"),
  given: z.string().trim().min(1).describe("the state set up, with concrete data"),
  when: z.string().trim().min(1).describe("the one action or event"),
  then: z.string().trim().min(1).describe("what the tester observes, with the expected values"),
  type: z.enum(testTypes),
  priority: z.enum(testPriorities),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type TestCaseContent = z.infer<typeof testCaseContentSchema>;

export const draftedTestCaseSchema = drafted(testCaseContentSchema);
export type DraftedTestCase = z.infer<typeof draftedTestCaseSchema>;

/** draft-test-cases reads the approved stories (their criteria) and requirements. */
export const testCasesInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema).min(1, "no approved user stories to test"),
});
export type TestCasesInput = z.infer<typeof testCasesInputSchema>;

export const testCasesDraftSchema = z.object({ testCases: z.array(draftedTestCaseSchema), openQuestions: z.array(openQuestionSchema) });
export type TestCasesDraft = z.infer<typeof testCasesDraftSchema>;
