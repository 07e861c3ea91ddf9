import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { claimReviewItem, releaseReviewItem } from "@/lib/review/claims";

export const POST = handle(endpoints.claimReviewItem, ({ actor, params, body }) => claimReviewItem(actor, params.id, body ?? {}));
export const DELETE = handle(endpoints.releaseReviewItem, ({ actor, params }) => releaseReviewItem(actor, params.id));

export * from "@/lib/api/other-methods";
