import type { Endpoint } from "@/lib/api/schemas";
import { insightsQuerySchema, insightsSchema } from "@/lib/insights/schema";

/** The /api/v1 routes of the insights area, merged into the one endpoint table in lib/api/schemas.ts. */
export const insightsEndpoints = {
  getInsights: {
    method: "get",
    path: "/insights",
    summary:
      "Cost per stage, model and day (against the project's budget), automation and reviewer load per step over time, edit and rejection rates per model and step, cycle time per stage, and where work waits, for one project or every project the caller can read, over a range of UTC days (default the last 30)",
    query: insightsQuerySchema,
    status: 200,
    response: insightsSchema,
    errors: {
      403: "The caller is not a member of the project.",
      404: "The project does not exist.",
      422: "A date is not YYYY-MM-DD, from is after to, the range is longer than 366 days, or the interval is not day or week.",
    },
  },
} satisfies Record<string, Endpoint>;
