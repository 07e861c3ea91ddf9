"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import type { Grant, Permission } from "@/lib/authz";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { bulkDecide } from "@/lib/review/bulk";
import { claimReviewItem, releaseReviewItem } from "@/lib/review/claims";
import { reviewItemScope } from "@/lib/review/decision-store";
import { editDiffOf } from "@/lib/review/edit-diff";
import { adjudicationSchema, bulkDecisionSchema } from "@/lib/review/schema";
import { adjudicateReviewItem } from "@/lib/review/service";
import { undoDecision } from "@/lib/review/undo";

const itemInput = z.object({ itemId: z.string().min(1, "name the review item").max(100) });

/** A permission in the project and stage the review item belongs to. */
const onItem =
  (permission: Permission) =>
  async ({ itemId }: { itemId: string }): Promise<Grant> => {
    const scope = await reviewItemScope(db(), itemId);
    if (!scope) throw notFound("The review item");
    return { permissions: [permission], scope };
  };

/** What a person changed in the version under review, for the card (a read: nothing to refresh). */
export const editDiffAction = action(itemInput, onItem("review:work"), (_actor, { itemId }) => editDiffOf(itemId), { revalidate: false });

/**
 * Opening an item's card claims it for a while (renewed while it stays open), so nobody else
 * decides it meanwhile. The queue refetches by itself; no page needs refreshing.
 */
export const claimItemAction = action(itemInput, onItem("review:work"), (actor, { itemId }) => claimReviewItem(actor, itemId), { revalidate: false });

/** Leaving the card lets the item go at once rather than when the lease runs out. */
export const releaseItemAction = action(itemInput, onItem("review:work"), (actor, { itemId }) => releaseReviewItem(actor, itemId), { revalidate: false });

/** Takes a decision back: the decider's undo for a few seconds, or the stage owner's reopen until sign-off. */
export const undoDecisionAction = action(itemInput, onItem("review:work"), (actor, { itemId }) => undoDecision(actor, itemId));

/**
 * Several items decided in one action. The service checks and records each on its own (a
 * refused item does not stop the others); this gate asks for the permission in the first
 * item's stage, so someone who reviews nothing is refused before anything is read.
 */
export const bulkDecideAction = action(bulkDecisionSchema, ({ items }) => onItem("review:decide")({ itemId: items[0].id }), (actor, input) => bulkDecide(actor, input));

/** The stage owner settles a disagreement between approvers, with the reason. */
export const adjudicateAction = action(itemInput.extend(adjudicationSchema.shape), onItem("review:adjudicate"), (actor, { itemId, ...input }) =>
  adjudicateReviewItem(actor, itemId, input),
);
