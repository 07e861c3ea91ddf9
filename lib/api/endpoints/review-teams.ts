import { z } from "zod";
import { reviewItemPath, timestamp } from "@/lib/api/common";
import { inReviewTransaction, onReviewItem, type Authorize } from "@/lib/api/authorization";
import type { Endpoint } from "@/lib/api/schemas";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { reviewItemScope } from "@/lib/review/decision-store";
import { adjudicationSchema, bulkDecisionSchema, claimSchema } from "@/lib/review/schema";

/**
 * Review for teams: claims, the stage owner's adjudication of disagreements, undo and reopen,
 * and bulk decisions. Each mutation is checked in the stage of the item it names; the services
 * check the finer rules (the holder, the decider's ten seconds, the owner).
 */

/** Claiming for oneself is a reviewer's; handing the item to someone else is the owner's. Both checked by the claim's transaction. */
const claimGrant: Authorize = (input) => {
  const assignTo = typeof input.body === "object" && input.body !== null ? (input.body as { assignTo?: unknown }).assignTo : undefined;
  return inReviewTransaction(assignTo === undefined ? "review:decide" : "review:adjudicate")(input);
};

/**
 * A bulk decision is checked in the stage of its first item that exists; every item is checked
 * again, in its own stage, when it is decided.
 */
const bulkGrant: Authorize = async ({ body }) => {
  const items = typeof body === "object" && body !== null ? (body as { items?: { id?: unknown }[] }).items ?? [] : [];
  for (const item of items) {
    const scope = typeof item.id === "string" ? await reviewItemScope(db(), item.id) : null;
    if (scope) return { permissions: ["review:decide"], scope: { projectId: scope.projectId, stage: scope.stage } };
  }
  throw notFound("None of the review items");
};

const person = z.strictObject({ email: z.string(), name: z.string() });
const errorOf = z.strictObject({ code: z.string(), message: z.string() });

const claimResultSchema = z
  .strictObject({
    id: z.string(),
    claimedBy: person.meta({ description: "Who holds the item now" }),
    expiresAt: timestamp.meta({ description: "When the claim lapses unless renewed (claim again to renew)" }),
  })
  .meta({ id: "ReviewClaim" });

const releaseResultSchema = z
  .strictObject({ id: z.string(), released: z.boolean().meta({ description: "false when nobody held a live claim" }) })
  .meta({ id: "ReviewClaimRelease" });

const undoResultSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(["undo", "reopen"]).meta({ description: "undo: the decider within 10 seconds; reopen: the stage owner, until sign-off" }),
    status: z.enum(["pending", "needs_adjudication"]).meta({ description: "Where the item stands again" }),
    undoneDecisionId: z.string().meta({ description: "The decision taken back; it stays on record, marked undone" }),
    artifactId: z.string().nullable(),
    version: z.number().int().meta({ description: "The version under review again" }),
  })
  .meta({ id: "ReviewUndo" });

const adjudicationResultSchema = z
  .strictObject({
    id: z.string(),
    action: z.enum(["approve", "reject"]),
    artifactId: z.string().nullable(),
    status: z.enum(["approved", "rejected"]),
    version: z.number().int(),
    approvals: z.number().int(),
    requiredApprovals: z.number().int(),
    undoableUntil: timestamp,
  })
  .meta({ id: "ReviewAdjudication" });

const bulkResultSchema = z
  .strictObject({
    results: z.array(
      z.strictObject({
        id: z.string(),
        status: z.enum(["pending", "approved", "rejected", "needs_adjudication", "failed"]).meta({ description: "The item's status after its decision; failed with error when it was refused" }),
        error: errorOf.optional(),
      }),
    ),
  })
  .meta({ id: "BulkDecisionResult" });

export const reviewTeamsEndpoints = {
  claimReviewItem: {
    method: "post",
    authorize: claimGrant,
    path: "/review-items/{id}/claim",
    summary: "Claim a review item for 10 minutes (claim again to renew), or, as the stage owner, hand it to a reviewer ({assignTo: email})",
    params: reviewItemPath,
    body: claimSchema.optional(),
    status: 200,
    response: claimResultSchema,
    errors: {
      403: "Only reviewers of the stage claim its items; only its owner hands them to others; nobody claims drafts of a run they started.",
      404: "The review item does not exist.",
      409: "Someone else holds a live claim (named in details.claimedBy), or the item is no longer pending.",
      422: "assignTo is not a reviewer of the stage.",
    },
  },
  releaseReviewItem: {
    method: "delete",
    authorize: onReviewItem("review:work"),
    path: "/review-items/{id}/claim",
    summary: "Release a claim (its holder, or the stage owner)",
    params: reviewItemPath,
    status: 200,
    response: releaseResultSchema,
    errors: { 403: "Only the holder or the stage owner releases a claim.", 404: "The review item does not exist." },
  },
  undoReviewDecision: {
    method: "post",
    authorize: onReviewItem("review:work"),
    path: "/review-items/{id}/undo",
    summary: "Take back the item's latest decision: the decider within 10 seconds, or the stage owner (a reopen) until the stage is signed off",
    params: reviewItemPath,
    status: 200,
    response: undoResultSchema,
    errors: {
      403: "Only the decider or the stage owner can take a decision back.",
      404: "The review item does not exist.",
      409: "The 10 seconds have passed, the stage is signed off, the item has changed since, or there is nothing to undo (details.reason says which).",
    },
  },
  adjudicateReviewItem: {
    method: "post",
    authorize: onReviewItem("review:adjudicate"),
    path: "/review-items/{id}/adjudication",
    summary: "Settle a disagreement between approvers (stage owner): approve or reject the draft for good, with a comment",
    params: reviewItemPath,
    body: adjudicationSchema,
    status: 200,
    response: adjudicationResultSchema,
    errors: {
      403: "Only the stage owner adjudicates, and not to approve a version they wrote.",
      404: "The review item does not exist.",
      409: "The item does not need adjudication.",
      422: "The action or comment is missing.",
    },
  },
  bulkDecideReviewItems: {
    method: "post",
    authorize: bulkGrant,
    path: "/review-items/bulk-decision",
    summary: "Approve or reject up to 100 drafts at once; each is decided, checked and recorded on its own, and one refused item does not stop the others",
    body: bulkDecisionSchema,
    status: 200,
    response: bulkResultSchema,
    errors: {
      403: "The caller is not a reviewer of the first item's stage.",
      404: "None of the review items exist.",
      422: "The action, items or comment are not valid (1 to 100 distinct items; a rejection needs a comment).",
    },
  },
} satisfies Record<string, Endpoint>;
