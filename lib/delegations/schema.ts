import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";
import { emailSchema } from "@/lib/users/schema";

/** The longest a delegation may last: an absence, not a standing transfer of a role. */
export const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;

const instant = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601 with a time zone" });

/**
 * Handing one's stage roles (owner, reviewer) to a named person for a window, e.g. while out of
 * office. Without a project it covers every stage role the person holds; a stage needs its project.
 */
export const createDelegationSchema = z
  .object({
    toEmail: emailSchema,
    startsAt: instant,
    endsAt: instant,
    projectId: z.string().min(1).max(200).optional(),
    stageKey: stageKeySchema.optional(),
    reason: z.string().trim().max(500, "use at most 500 characters").optional(),
  })
  .refine((value) => Date.parse(value.endsAt) > Date.parse(value.startsAt), { message: "endsAt must be after startsAt", path: ["endsAt"] })
  .refine((value) => Date.parse(value.endsAt) - Date.parse(value.startsAt) <= MAX_DELEGATION_DAYS * DAY_MS, {
    message: `a delegation lasts at most ${MAX_DELEGATION_DAYS} days`,
    path: ["endsAt"],
  })
  .refine((value) => value.stageKey === undefined || value.projectId !== undefined, { message: "a stage needs its projectId", path: ["stageKey"] });
export type CreateDelegationInput = z.input<typeof createDelegationSchema>;

/** A delegation's state at a given time. */
export const delegationStates = ["scheduled", "active", "ended", "revoked"] as const;
export type DelegationState = (typeof delegationStates)[number];

export function delegationState(delegation: { startsAt: Date; endsAt: Date; revokedAt: Date | null }, now: Date): DelegationState {
  if (delegation.revokedAt) return "revoked";
  if (now.getTime() < delegation.startsAt.getTime()) return "scheduled";
  return now.getTime() < delegation.endsAt.getTime() ? "active" : "ended";
}

const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
/** A datetime-local field ("2026-12-07T09:00", no zone) read as UTC, as the form labels it. */
const utcField = z.preprocess(
  (value) => (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value),
  z.iso.datetime({ offset: true, message: "enter a date and time" }),
);

/** The settings form's fields: empty selects mean "every project" / "every stage". */
export const delegationFormSchema = z.object({
  toEmail: emailSchema,
  startsAt: utcField,
  endsAt: utcField,
  projectId: z.preprocess(blankToUndefined, z.string().min(1).max(200).optional()),
  stageKey: z.preprocess(blankToUndefined, stageKeySchema.optional()),
  reason: z.preprocess(blankToUndefined, z.string().max(500).optional()),
});
