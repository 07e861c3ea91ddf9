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
