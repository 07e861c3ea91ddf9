import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { insightsFor } from "@/lib/insights/service";

export const GET = handle(endpoints.getInsights, ({ actor, query }) => insightsFor(actor, query));

export * from "@/lib/api/other-methods";
