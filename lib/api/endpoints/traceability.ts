import type { Endpoint } from "@/lib/api/schemas";

/** The /api/v1 routes of the traceability area, merged into the one endpoint table in lib/api/schemas.ts. */
export const traceabilityEndpoints = {} satisfies Record<string, Endpoint>;
