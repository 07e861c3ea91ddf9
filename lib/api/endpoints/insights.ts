import type { Endpoint } from "@/lib/api/schemas";

/** The /api/v1 routes of the insights area, merged into the one endpoint table in lib/api/schemas.ts. */
export const insightsEndpoints = {} satisfies Record<string, Endpoint>;
