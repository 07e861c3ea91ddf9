import { z } from "zod";
import type { Permission } from "@/lib/authz";
import { MAX_SLA_MINUTES } from "@/lib/sla/rules";
import { emailSchema } from "@/lib/users/schema";
import { stageKeys } from "./stages";

export const stageKeySchema = z.enum(stageKeys);

/** The fields of a stage's SLA ladder (lib/sla): the owner or an admin sets the time, an admin the fallback owner. */
export const stageSlaFields = ["slaMinutes", "slaBusinessHours", "fallbackOwnerEmail"] as const;

export const updateStageSchema = z
  .object({
    ownerEmail: emailSchema.nullable().optional(),
    reviewerEmails: z.array(emailSchema).max(50).optional(),
    slaMinutes: z
      .number()
      .int("use whole minutes")
      .min(1, "use at least 1 minute")
      .max(MAX_SLA_MINUTES, "use at most 30 days")
      .nullable()
      .optional()
      .meta({ description: "Minutes a pending item may wait before its reviewers are reminded (then the owner, then the fallback owner, one period apart); null for no SLA" }),
    slaBusinessHours: z.boolean().optional().meta({ description: "Count only Monday to Friday, 09:00-17:00 UTC towards slaMinutes" }),
    fallbackOwnerEmail: emailSchema.nullable().optional().meta({ description: "Who hears of an item last, after the stage owner (admins set it)" }),
  })
  .refine((value) => value.ownerEmail !== undefined || value.reviewerEmails !== undefined || stageSlaFields.some((field) => value[field] !== undefined), {
    message: "send ownerEmail, reviewerEmails or an SLA setting (slaMinutes, slaBusinessHours, fallbackOwnerEmail)",
  });
export type UpdateStageInput = z.input<typeof updateStageSchema>;

/**
 * The permissions a stage update needs, from the fields it sends: the owner and the SLA's
 * fallback owner are admins' to name; the reviewers and the SLA's time the owner's (or admins').
 */
export function assignmentPermissions(update: z.output<typeof updateStageSchema>): Permission[] {
  const permissions = new Set<Permission>();
  if (update.ownerEmail !== undefined || update.fallbackOwnerEmail !== undefined) permissions.add("stages:assignOwner");
  if (update.reviewerEmails !== undefined || update.slaMinutes !== undefined || update.slaBusinessHours !== undefined) permissions.add("stages:assignReviewers");
  return [...permissions];
}

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
