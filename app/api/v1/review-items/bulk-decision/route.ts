import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { bulkDecide } from "@/lib/review/bulk";

export const POST = handle(endpoints.bulkDecideReviewItems, ({ actor, body }) => bulkDecide(actor, body));

export * from "@/lib/api/other-methods";
