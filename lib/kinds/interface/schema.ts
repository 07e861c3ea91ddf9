import { z } from "zod";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** design: one interface per entity, with the operations the stories need on it. */
export const entitySchema = z.object({
  name: z.string().trim().min(1),
  attributes: z.array(z.string().min(1)).describe("what the stories say it has, e.g. 'photo', 'amount'"),
});

export const operationSchema = z.object({
  name: z.string().trim().min(1).describe("verb + entity, e.g. 'requestRefund'"),
  actor: z.string().trim().min(1).describe("who or what calls it"),
  input: z.array(z.string().min(1)).describe("what the caller provides"),
  output: z.string().trim().min(1).describe("what the caller observes afterwards"),
  storyIds: z.array(z.string().min(1)).min(1, "an operation serves at least one story"),
});
export type Operation = z.infer<typeof operationSchema>;

export const interfaceContentSchema = z.object({
  name: z.string().trim().min(1),
  entities: z.array(entitySchema).min(1),
  operations: z.array(operationSchema).min(1, "an interface offers at least one operation"),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type InterfaceContent = z.infer<typeof interfaceContentSchema>;

export const draftedInterfaceSchema = drafted(interfaceContentSchema);
export type DraftedInterface = z.infer<typeof draftedInterfaceSchema>;

/** draft-interfaces reads the approved stories (their entities and actions) and requirements. */
export const interfacesInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema).min(1, "no approved user stories to design interfaces for"),
});
export type InterfacesInput = z.infer<typeof interfacesInputSchema>;

export const interfacesDraftSchema = z.object({ interfaces: z.array(draftedInterfaceSchema), openQuestions: z.array(openQuestionSchema) });
export type InterfacesDraft = z.infer<typeof interfacesDraftSchema>;
