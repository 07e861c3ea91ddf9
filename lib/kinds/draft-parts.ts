import { z } from "zod";
import { findPhrases } from "@/lib/models/offline/cues";
import { VAGUE_WORDS } from "@/lib/models/offline/lexicon";
import type { KindCheckContext, KindFlag } from "./types";
import { requirementCategories, userStoryContentSchema } from "@/lib/requirements/schema";

/**
 * Contract pieces every drafted kind of the later stages shares: the trace to its parents, the
 * drafter's doubt, open questions, and how an upstream artifact reaches a step (its id, its
 * reference and its content). No optional fields: strict structured-output modes require every key.
 */
export const derivedFromSchema = z
  .array(z.string().min(1))
  .min(1, "a draft must name the upstream artifacts it was drafted from")
  .describe("ids of the upstream artifacts (as given in the input) this draft was drafted from");

export const confidenceSchema = z.number().min(0).max(1).describe("0..1: how well the upstream work supports this draft");
export const unsureSchema = z
  .string()
  .min(1)
  .nullable()
  .describe("null when sure; otherwise why the drafter is unsure (missing figures, vague upstream wording, a guess)");

export const openQuestionSchema = z.object({
  question: z.string().min(1).describe("what a person must decide before this work can be trusted"),
  derivedFrom: z.array(z.string()).describe("ids of the upstream artifacts the question is about"),
});
export type StageOpenQuestion = z.infer<typeof openQuestionSchema>;

export const projectSchema = z.object({ name: z.string(), brief: z.string() });
export type StageProject = z.infer<typeof projectSchema>;

const identity = { id: z.string().min(1).describe("artifact id: what derivedFrom refers to"), ref: z.string().min(1).describe("e.g. REQ-3, US-7") };

/** An upstream artifact as a step reads it: the approved content, with its id and reference. */
export function upstream<Shape extends z.ZodRawShape>(content: z.ZodObject<Shape>) {
  return content.extend(identity);
}

/** The requirements and stories every later stage reads. */
export const upstreamRequirementSchema = z.object({ ...identity, statement: z.string().min(1), category: z.enum(requirementCategories) });
export type UpstreamRequirement = z.infer<typeof upstreamRequirementSchema>;
export const upstreamStorySchema = upstream(userStoryContentSchema);
export type UpstreamStory = z.infer<typeof upstreamStorySchema>;

/** A drafted item: its stored content, a draft-local id and the drafter's confidence. */
export function drafted<Shape extends z.ZodRawShape>(content: z.ZodObject<Shape>) {
  return content.extend({ id: z.string().min(1).describe("draft-local id, e.g. D1"), confidence: confidenceSchema });
}

export type { KindCheckContext, KindFlag };

/** Ids a draft names that are not among the upstream artifacts it could have been drafted from. */
export function untraced(derivedFrom: readonly string[], upstreamIds: ReadonlySet<string>): KindFlag<"untraced"> | null {
  const unknown = derivedFrom.filter((id) => !upstreamIds.has(id));
  if (derivedFrom.length > 0 && unknown.length === 0) return null;
  return {
    code: "untraced",
    words: unknown,
    message:
      derivedFrom.length === 0
        ? "The draft names no upstream artifact it was drafted from: a reviewer cannot see what it rests on, and a change upstream would not reopen it."
        : `The draft names ${unknown.map((id) => `'${id}'`).join(", ")} as parents, which are not among the approved upstream artifacts: it may rest on work nobody approved.`,
  };
}

export const compactFlags = <Flag>(flags: readonly (Flag | null)[]): Flag[] => flags.filter((flag): flag is Flag => flag !== null);

/** Parent ids a part of a draft names (an operation's stories, a milestone's stories) that its derivedFrom does not. */
export function missingFromTrace<Code extends string>(code: Code, ids: readonly string[], derivedFrom: readonly string[], what: string): KindFlag<Code> | null {
  const missing = ids.filter((id) => !derivedFrom.includes(id));
  if (missing.length === 0) return null;
  return {
    code,
    words: missing,
    message: `${what} ${missing.map((id) => `'${id}'`).join(", ")}, which derivedFrom does not list: a change to ${missing.length === 1 ? "it" : "them"} would not reopen this draft.`,
  };
}

/** A number, a time or a percentage, not a record's id (R-1012): something a person can compare an observation with. */
export const hasFigure = (text: string) => /(?<![\w-])\d/.test(text);

/** Words that leave the judgement to whoever reads them ("properly", "as needed"), from the drafter's word list. A quoted word is talked about, not used. */
export function vagueWordsIn(text: string): string[] {
  return findPhrases(text.replace(/(?<!\w)'[^']*'(?!\w)|"[^"]*"/g, " "), VAGUE_WORDS);
}

/** Filler in an instruction: the step says that something happens, not what to do. */
export const VAGUE_INSTRUCTION = /\b(?:as needed|if needed|if necessary|where necessary|appropriate(?:ly)?|somehow|properly|accordingly|etc)\b/i;
