import { z } from "zod";

/**
 * Contracts of the requirements stage's steps. Every model call is validated against these;
 * a draft that does not parse is a contract violation, never silently accepted.
 * No optional fields: strict structured-output modes (OpenAI) require every key present.
 */
export const requirementCategories = [
  "functional",
  "availability",
  "fault_tolerance",
  "legal",
  "look_and_feel",
  "maintainability",
  "operational",
  "performance",
  "portability",
  "scalability",
  "security",
  "usability",
] as const;
export type RequirementCategory = (typeof requirementCategories)[number];

export const sourceKinds = ["interview", "email", "meeting_notes", "ticket_digest", "document", "other"] as const;
export type SourceKind = (typeof sourceKinds)[number];

export const sourceQuoteSchema = z.object({
  sourceId: z.string().min(1).describe("id of the source the quote comes from"),
  quote: z.string().min(1).describe("a passage copied verbatim from that source"),
});
export type SourceQuote = z.infer<typeof sourceQuoteSchema>;

const confidence = z.number().min(0).max(1).describe("0..1: how well the sources support this item");
const unsure = z
  .string()
  .min(1)
  .nullable()
  .describe("null when sure; otherwise why the drafter is unsure (hedged wording, contradicting sources, ...)");

export const draftedRequirementSchema = z.object({
  id: z.string().min(1).describe("draft-local id, e.g. R1; conflicts refer to it"),
  statement: z.string().min(1).describe("one verifiable requirement, e.g. 'The system must ...'"),
  category: z.enum(requirementCategories),
  sources: z.array(sourceQuoteSchema).min(1),
  confidence,
  unsure,
});
export type DraftedRequirement = z.infer<typeof draftedRequirementSchema>;

export const conflictSchema = z.object({
  description: z.string().min(1),
  requirementIds: z.array(z.string()).describe("ids of the requirements involved, may be empty"),
  sources: z.array(sourceQuoteSchema).min(1),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const openQuestionSchema = z.object({
  question: z.string().min(1),
  sources: z.array(sourceQuoteSchema),
});
export type OpenQuestion = z.infer<typeof openQuestionSchema>;

export const requirementsDraftSchema = z.object({
  requirements: z.array(draftedRequirementSchema),
  conflicts: z.array(conflictSchema),
  openQuestions: z.array(openQuestionSchema),
});
export type RequirementsDraft = z.infer<typeof requirementsDraftSchema>;

/** What synthesize-requirements reads: the project's sources. */
export const synthesizeInputSchema = z.object({
  project: z.object({ name: z.string(), brief: z.string() }),
  sources: z
    .array(z.object({ id: z.string(), title: z.string(), kind: z.enum(sourceKinds), text: z.string() }))
    .min(1, "add at least one source before running the requirements stage"),
});
export type SynthesizeInput = z.infer<typeof synthesizeInputSchema>;

export const acceptanceCriterionSchema = z.object({
  given: z.string().min(1),
  when: z.string().min(1),
  then: z.string().min(1),
});
export type AcceptanceCriterion = z.infer<typeof acceptanceCriterionSchema>;

export const draftedUserStorySchema = z.object({
  id: z.string().min(1).describe("draft-local id, e.g. S1"),
  role: z.string().min(1).describe("As a <role>"),
  goal: z.string().min(1).describe("I want <goal>"),
  benefit: z.string().min(1).describe("so that <benefit>"),
  acceptanceCriteria: z.array(acceptanceCriterionSchema).min(1),
  requirementRefs: z.array(z.string()).min(1).describe("refs of the approved requirements it comes from, e.g. REQ-3"),
  confidence,
  unsure,
});
export type DraftedUserStory = z.infer<typeof draftedUserStorySchema>;

export const userStoriesDraftSchema = z.object({ stories: z.array(draftedUserStorySchema) });
export type UserStoriesDraft = z.infer<typeof userStoriesDraftSchema>;

/** What draft-user-stories reads: the requirements humans approved (or that were auto-approved). */
export const storiesInputSchema = z.object({
  project: z.object({ name: z.string(), brief: z.string() }),
  requirements: z
    .array(z.object({ ref: z.string(), statement: z.string().min(1), category: z.enum(requirementCategories) }))
    .min(1, "no approved requirements to draft stories from"),
});
export type StoriesInput = z.infer<typeof storiesInputSchema>;

/** Artifact contents as stored (and as a reviewer may edit them). */
export const requirementContentSchema = z.object({
  statement: z.string().trim().min(1, "the statement cannot be empty"),
  category: z.enum(requirementCategories),
  sources: z.array(sourceQuoteSchema),
  unsure: z.string().nullable(),
});
export type RequirementContent = z.infer<typeof requirementContentSchema>;

export const userStoryContentSchema = z.object({
  role: z.string().trim().min(1),
  goal: z.string().trim().min(1),
  benefit: z.string().trim().min(1),
  acceptanceCriteria: z.array(acceptanceCriterionSchema).min(1, "a story needs at least one acceptance criterion"),
  requirementRefs: z.array(z.string()).min(1),
  unsure: z.string().nullable(),
});
export type UserStoryContent = z.infer<typeof userStoryContentSchema>;

/**
 * What check-category reports for one requirement: the probability that its category is right
 * according to the classifier trained on this deployment's decisions. A second opinion that
 * calibration weighs, whichever model drafted.
 */
export type CategoryOpinion = { probability: number };

/** What check-quality reports for one requirement. */
export const qualityFlagCodes = [
  "vague_wording",
  "unmeasurable",
  "ambiguous_pronoun",
  "compound",
  "malformed",
  "unfaithful",
  "suspected_injection",
  "tautological_story",
  "untestable_criterion",
] as const;
export type QualityFlagCode = (typeof qualityFlagCodes)[number];
export const qualityFlagSchema = z.object({
  code: z.enum(qualityFlagCodes),
  words: z.array(z.string()).describe("the words that triggered the flag, as they appear in the statement"),
  message: z.string().describe("why this is a problem, for the reviewer"),
});
export type QualityFlag = z.infer<typeof qualityFlagSchema>;
