import { z } from "zod";
import { milestoneContentSchema } from "../milestone/schema";
import { taskContentSchema } from "../task/schema";
import { testCaseContentSchema } from "../test-case/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstream, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** deployment: what a release brings, for the people who use it. One note per milestone shipped. */
export const releaseChangeSchema = z.object({
  description: z.string().trim().min(1).describe("what users can now do or rely on, in their words"),
  storyIds: z.array(z.string().min(1)).min(1),
});

export const releaseNoteContentSchema = z.object({
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1),
  changes: z.array(releaseChangeSchema).min(1, "a release note lists at least one change"),
  knownLimitations: z.array(z.string().min(1)),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type ReleaseNoteContent = z.infer<typeof releaseNoteContentSchema>;

export const draftedReleaseNoteSchema = drafted(releaseNoteContentSchema);
export type DraftedReleaseNote = z.infer<typeof draftedReleaseNoteSchema>;

/** draft-release-notes reads what was planned, built and tested. */
export const releaseNotesInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema).min(1, "no approved user stories to announce"),
  milestones: z.array(upstream(milestoneContentSchema)),
  tasks: z.array(upstream(taskContentSchema)).min(1, "no approved tasks: nothing was built to announce"),
  testCases: z.array(upstream(testCaseContentSchema)),
});
export type ReleaseNotesInput = z.infer<typeof releaseNotesInputSchema>;

export const releaseNotesDraftSchema = z.object({ releaseNotes: z.array(draftedReleaseNoteSchema), openQuestions: z.array(openQuestionSchema) });
export type ReleaseNotesDraft = z.infer<typeof releaseNotesDraftSchema>;
