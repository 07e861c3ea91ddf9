import { z } from "zod";

export const createProjectSchema = z.object({
  name: z.string().trim().min(1, "enter a project name").max(120, "use at most 120 characters"),
  brief: z.string().trim().max(4000, "use at most 4000 characters").default(""),
});
export type CreateProjectInput = z.input<typeof createProjectSchema>;
