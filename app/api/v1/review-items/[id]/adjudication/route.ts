import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { adjudicateReviewItem } from "@/lib/review/service";

export const POST = handle(endpoints.adjudicateReviewItem, ({ actor, params, body }) => adjudicateReviewItem(actor, params.id, body));

export * from "@/lib/api/other-methods";
