import { z } from "zod";
import { routingReasonCodes } from "@/lib/routing/schema";
import { stageKeySchema } from "@/lib/stages/schema";
import { emailSchema } from "@/lib/users/schema";

export const reviewItemKinds = ["draft", "conflict"] as const;

export const reviewQuerySchema = z.object({
  projectId: z.string().min(1).optional(),
  stage: stageKeySchema.optional(),
  kind: z.enum(reviewItemKinds).optional(),
  status: z.enum(["pending", "needs_adjudication", "decided", "cancelled", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
  /** "true" leaves out items someone else holds a live claim on, so the next item is one the caller can take. */
  skipClaimed: z
    .enum(["true", "false"], { error: "skipClaimed must be true or false" })
    .transform((value) => value === "true")
    .optional(),
  /** Drafts of one artifact kind (requirement, user_story, ...); conflicts are left out. */
  artifactKind: z
    .string()
    .regex(/^[a-z_]{1,50}$/, "artifactKind is a kind's name, e.g. requirement")
    .optional(),
  /** Items routed to people for this reason. */
  reason: z.enum(routingReasonCodes).optional(),
  /** "oldest" (the default): oldest first; "risk": the lowest measured chance of approval first (ReviewItem.approvalChance), oldest first among equals. */
  sort: z.enum(["oldest", "risk"], { error: "sort must be oldest or risk" }).optional(),
  /** Items that have waited at least this many hours. */
  waitingHours: z.coerce.number().int().min(1).max(8760).optional(),
  /** "true": only items the caller holds a live claim on. */
  mine: z
    .enum(["true", "false"], { error: "mine must be true or false" })
    .transform((value) => value === "true")
    .optional(),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;

export const decisionSchema = z
  .object({
    action: z.enum(["approve", "edit", "reject", "resolve"]),
    version: z.number().int().min(1, "send the version you reviewed"),
    content: z.record(z.string(), z.unknown()).optional(),
    comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
    /** For a rejection: false makes it final; by default the comment goes back to the drafting step, which re-drafts. */
    redraft: z.boolean().optional(),
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
    if (value.redraft !== undefined && value.action !== "reject") {
      ctx.addIssue({ code: "custom", path: ["redraft"], message: "redraft is only for a rejection" });
    }
    if (value.action !== "resolve" && value.keep) {
      ctx.addIssue({ code: "custom", path: ["keep"], message: "keep is only for resolving a conflict" });
    }
  });
export type DecisionInput = z.infer<typeof decisionSchema>;

/** Claiming an item: for oneself, or (the stage owner) for a reviewer of the stage named by email. */
export const claimSchema = z.object({
  assignTo: emailSchema.optional(),
});
export type ClaimInput = z.infer<typeof claimSchema>;

/** The stage owner settling a disagreement between approvers: the outcome and why. */
export const adjudicationSchema = z.object({
  action: z.enum(["approve", "reject"], { error: "action must be approve or reject" }),
  comment: z.string({ error: "say how you settled it" }).trim().min(1, "say how you settled it").max(2000, "use at most 2000 characters"),
});
export type AdjudicationInput = z.infer<typeof adjudicationSchema>;

/** Several drafts decided in one request, each decided (and checked, and recorded) on its own. */
export const bulkDecisionSchema = z
  .object({
    action: z.enum(["approve", "reject"], { error: "action must be approve or reject" }),
    items: z
      .array(z.object({ id: z.string().min(1), version: z.number().int().min(1, "send the version you reviewed") }))
      .min(1, "send at least one item")
      .max(100, "send at most 100 items"),
    comment: z.string().trim().max(2000, "use at most 2000 characters").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.action === "reject" && !value.comment) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "say why you reject them, so the drafter and the owner can learn" });
    }
    const ids = value.items.map((item) => item.id);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length > 0) ctx.addIssue({ code: "custom", path: ["items"], message: `each item once: ${[...new Set(repeated)].join(", ")} repeated` });
  });
export type BulkDecisionInput = z.infer<typeof bulkDecisionSchema>;
