import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("enter a valid email address"));

export const passwordSchema = z.string().min(8, "use at least 8 characters").max(200, "use at most 200 characters");

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "enter a name").max(120),
  password: passwordSchema,
  role: z.enum(["admin", "member"]).default("member"),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const credentialsSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "enter your password").max(200),
});

export const resetPasswordSchema = z.object({ password: passwordSchema });

export const changeOwnPasswordSchema = z.object({
  currentPassword: z.string().min(1, "enter your current password").max(200),
  newPassword: passwordSchema,
});
