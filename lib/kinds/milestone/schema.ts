import { z } from "zod";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** planning: a release plan, one milestone per artifact, in the order they ship. */
export const milestoneSizes = ["small", "medium", "large"] as const;

export const milestoneContentSchema = z.object({
  position: z.number().int().min(1).describe("1 for the first milestone to ship, 2 for the next, ..."),
  title: z.string().trim().min(1),
  goal: z.string().trim().min(1).describe("what is true for users once the milestone ships"),
  storyIds: z.array(z.string().min(1)).min(1, "a milestone holds at least one story").describe("ids of the user stories in it, in build order"),
  dependsOn: z.array(z.number().int().min(1)).describe("positions of the earlier milestones it needs"),
  size: z.enum(milestoneSizes).describe("relative size against the other milestones"),
  risks: z.array(z.string().min(1)).describe("the risks that put it at this position"),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type MilestoneContent = z.infer<typeof milestoneContentSchema>;

export const draftedMilestoneSchema = drafted(milestoneContentSchema);
export type DraftedMilestone = z.infer<typeof draftedMilestoneSchema>;

/** draft-milestones reads the approved requirements and user stories. */
export const milestonesInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema).min(1, "no approved user stories to plan"),
});
export type MilestonesInput = z.infer<typeof milestonesInputSchema>;

export const milestonesDraftSchema = z.object({ milestones: z.array(draftedMilestoneSchema), openQuestions: z.array(openQuestionSchema) });
export type MilestonesDraft = z.infer<typeof milestonesDraftSchema>;
