import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";

export const reviewQuerySchema = z.object({
  projectId: z.string().min(1).optional(),
  stage: stageKeySchema.optional(),
  status: z.enum(["pending", "decided", "cancelled", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;

export const decisionSchema = z
  .object({
    action: z.enum(["approve", "edit", "reject"]),
    version: z.number().int().min(1, "send the version you reviewed"),
    content: z.record(z.string(), z.unknown()).optional(),
    comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.action === "edit" && !value.content) {
      ctx.addIssue({ code: "custom", path: ["content"], message: "an edit needs the edited content" });
    }
    if (value.action === "reject" && !value.comment) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "say why you reject it, so the drafter and the owner can learn" });
    }
  });
export type DecisionInput = z.infer<typeof decisionSchema>;
