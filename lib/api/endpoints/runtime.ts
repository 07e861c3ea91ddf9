import type { Endpoint } from "@/lib/api/schemas";

/** The /api/v1 routes of the runtime area, merged into the one endpoint table in lib/api/schemas.ts. */
export const runtimeEndpoints = {} satisfies Record<string, Endpoint>;
