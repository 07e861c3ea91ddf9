import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";

export const reviewItemKinds = ["draft", "conflict"] as const;

export const reviewQuerySchema = z.object({
  projectId: z.string().min(1).optional(),
  stage: stageKeySchema.optional(),
  kind: z.enum(reviewItemKinds).optional(),
  status: z.enum(["pending", "decided", "cancelled", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;

export const decisionSchema = z
  .object({
    action: z.enum(["approve", "edit", "reject", "resolve"]),
    version: z.number().int().min(1, "send the version you reviewed"),
    content: z.record(z.string(), z.unknown()).optional(),
    comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
    /** For a conflict: the artifact ids of the sides to keep; the others are rejected. */
    keep: z.array(z.string().min(1)).max(50).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.action === "edit" && !value.content) {
      ctx.addIssue({ code: "custom", path: ["content"], message: "an edit needs the edited content" });
    }
    if (value.action === "reject" && !value.comment) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "say why you reject it, so the drafter and the owner can learn" });
    }
    if (value.action === "resolve" && !value.keep) {
      ctx.addIssue({ code: "custom", path: ["keep"], message: "name the sides to keep (artifact ids); the others are rejected" });
    }
    if (value.action !== "resolve" && value.keep) {
      ctx.addIssue({ code: "custom", path: ["keep"], message: "keep is only for resolving a conflict" });
    }
  });
export type DecisionInput = z.infer<typeof decisionSchema>;
