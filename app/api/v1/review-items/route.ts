import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { listReviewItems } from "@/lib/review/service";

export const GET = handle(endpoints.listReviewItems, ({ actor, query }) => listReviewItems(actor, query));
