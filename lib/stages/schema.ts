import { z } from "zod";
import { emailSchema } from "@/lib/users/schema";
import { stageKeys } from "./stages";

export const stageKeySchema = z.enum(stageKeys);

export const updateStageSchema = z
  .object({
    ownerEmail: emailSchema.nullable().optional(),
    reviewerEmails: z.array(emailSchema).max(50).optional(),
  })
  .refine((value) => value.ownerEmail !== undefined || value.reviewerEmails !== undefined, {
    message: "send ownerEmail, reviewerEmails or both",
  });
export type UpdateStageInput = z.input<typeof updateStageSchema>;

export const signOffSchema = z.object({
  comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
});

/**
 * The same owner and reviewers for every stage of a new project, as its form sends them: an
 * empty owner keeps the creator, one reviewer arrives as a string.
 */
export const everyStageSchema = z.object({
  ownerEmail: z.preprocess((value) => (value === "" ? undefined : value), emailSchema.optional()),
  reviewerEmails: z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(emailSchema).max(50).optional()),
});
