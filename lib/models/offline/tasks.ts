import { z } from "zod";
import { storiesInputSchema, synthesizeInputSchema } from "@/lib/requirements/schema";
import { categoryModelDataSchema } from "./category-model";
import { redraftFeedbackOf, reviseWithFeedback } from "./feedback";
import { draftRequirements } from "./requirements";
import { draftTasks, tasksInputSchema } from "./stages/coding";
import { deploymentRisksInputSchema, draftDeploymentRisks, draftReleaseNotes, releaseNotesInputSchema } from "./stages/deployment";
import { adrsInputSchema, draftAdrs, draftInterfaces, interfacesInputSchema } from "./stages/design";
import { draftRunbooks, runbooksInputSchema } from "./stages/operations";
import { draftMilestones, milestonesInputSchema } from "./stages/planning";
import { draftTestCases, testCasesInputSchema } from "./stages/testing";
import { draftUserStories } from "./stories";

/**
 * What the offline drafter can draft, by the output name a step asks for, and the drafting
 * itself as plain functions: run in the calling thread or on a drafting thread (threads.ts).
 */
export const offlineOptionsSchema = z.object({
  input: z.record(z.string(), z.unknown(), "no step input: pass it as providerOptions.offline.input"),
  categoryModel: categoryModelDataSchema.nullish(),
});
export type OfflineOptions = z.infer<typeof offlineOptionsSchema>;

const tasks: Record<string, (options: OfflineOptions) => unknown> = {
  requirements_draft: ({ input, categoryModel }) => draftRequirements(synthesizeInputSchema.parse(input), { categoryModel }),
  user_stories_draft: ({ input }) => draftUserStories(storiesInputSchema.parse(input)),
  milestones_draft: ({ input }) => draftMilestones(milestonesInputSchema.parse(input)),
  adrs_draft: ({ input }) => draftAdrs(adrsInputSchema.parse(input)),
  interfaces_draft: ({ input }) => draftInterfaces(interfacesInputSchema.parse(input)),
  tasks_draft: ({ input }) => draftTasks(tasksInputSchema.parse(input)),
  test_cases_draft: ({ input }) => draftTestCases(testCasesInputSchema.parse(input)),
  release_notes_draft: ({ input }) => draftReleaseNotes(releaseNotesInputSchema.parse(input)),
  deployment_risks_draft: ({ input }) => draftDeploymentRisks(deploymentRisksInputSchema.parse(input)),
  runbooks_draft: ({ input }) => draftRunbooks(runbooksInputSchema.parse(input)),
};

/** The output names the offline drafter answers to. */
export const taskNames: readonly string[] = Object.keys(tasks);

/** One task's draft as JSON text, in the calling thread: what a drafting thread runs for the model. */
export function writeDraft(taskName: string, options: OfflineOptions): string {
  const task = tasks[taskName];
  if (!task) throw new Error(`The offline drafter has no task "${taskName}"`);
  try {
    // A re-draft after a rejection carries the reviewer's feedback beside the basis (feedback.ts).
    const feedback = redraftFeedbackOf(options.input);
    return JSON.stringify(feedback ? reviseWithFeedback(task(options), feedback) : task(options));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The offline drafter cannot read the input for "${taskName}": ${reason}`);
  }
}

