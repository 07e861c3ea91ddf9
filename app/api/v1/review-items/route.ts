import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { withLineage } from "@/lib/review/lineage";
import { listReviewItems } from "@/lib/review/service";

export const GET = handle(endpoints.listReviewItems, async ({ actor, query }) => withLineage(await listReviewItems(actor, query)));

export * from "@/lib/api/other-methods";
