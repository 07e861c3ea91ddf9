import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { decideReviewItem } from "@/lib/review/service";

export const POST = handle(endpoints.decideReviewItem, ({ actor, params, body }) => decideReviewItem(actor, params.id, body));

export * from "@/lib/api/other-methods";
