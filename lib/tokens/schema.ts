import { z } from "zod";

/** The lifetimes the form offers; the API and CLI accept any whole number of days in range. */
export const TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;
export const MAX_TOKEN_DAYS = 365;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "name the token, e.g. 'CI'").max(80).default("API token"),
  // The form sends "" for "never expires".
  expiresInDays: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce.number().int("whole days only").min(1, "at least 1 day").max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`).optional(),
  ),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;
