import { z } from "zod";
import { adrContentSchema } from "../adr/schema";
import { interfaceContentSchema } from "../interface/schema";
import { milestoneContentSchema } from "../milestone/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstream, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** coding: one task per story. What to build and how a reviewer knows it is done; no code. */
export const taskContentSchema = z.object({
  storyId: z.string().min(1),
  title: z.string().trim().min(1),
  build: z.array(z.string().min(1)).min(1, "say what to build").describe("the pieces of work, in order"),
  definitionOfDone: z.array(z.string().min(1)).min(1, "a task needs a definition of done").describe("checkable statements"),
  reviewChecklist: z.array(z.string().min(1)).min(1).describe("what a code reviewer looks at"),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type TaskContent = z.infer<typeof taskContentSchema>;

export const draftedTaskSchema = drafted(taskContentSchema);
export type DraftedTask = z.infer<typeof draftedTaskSchema>;

/** draft-tasks reads the approved stories, requirements, release plan and design. */
export const tasksInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema).min(1, "no approved user stories to break into tasks"),
  milestones: z.array(upstream(milestoneContentSchema)),
  adrs: z.array(upstream(adrContentSchema)),
  interfaces: z.array(upstream(interfaceContentSchema)),
});
export type TasksInput = z.infer<typeof tasksInputSchema>;

export const tasksDraftSchema = z.object({ tasks: z.array(draftedTaskSchema), openQuestions: z.array(openQuestionSchema) });
export type TasksDraft = z.infer<typeof tasksDraftSchema>;
