import { z } from "zod";
import { milestoneContentSchema } from "../milestone/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstream, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** design: an architecture decision record. */
export const alternativeSchema = z.object({
  option: z.string().trim().min(1).describe("another way to meet the same constraint"),
  whyNot: z.string().trim().min(1).describe("why it was not chosen, against the constraint"),
});
export type Alternative = z.infer<typeof alternativeSchema>;

export const adrContentSchema = z.object({
  title: z.string().trim().min(1),
  context: z.string().trim().min(1).describe("the forces: the constraints the requirements set"),
  decision: z.string().trim().min(1),
  alternatives: z.array(alternativeSchema).describe("options considered and rejected"),
  consequences: z.array(z.string().min(1)).min(1, "name at least one consequence").describe("what becomes easier and harder"),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type AdrContent = z.infer<typeof adrContentSchema>;

export const draftedAdrSchema = drafted(adrContentSchema);
export type DraftedAdr = z.infer<typeof draftedAdrSchema>;

/** draft-adrs reads the approved requirements (their constraints), stories and the release plan. */
export const adrsInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema).min(1, "no approved requirements to design from"),
  stories: z.array(upstreamStorySchema),
  milestones: z.array(upstream(milestoneContentSchema)),
});
export type AdrsInput = z.infer<typeof adrsInputSchema>;

export const adrsDraftSchema = z.object({ adrs: z.array(draftedAdrSchema), openQuestions: z.array(openQuestionSchema) });
export type AdrsDraft = z.infer<typeof adrsDraftSchema>;
