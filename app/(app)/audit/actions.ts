"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { auditQuerySchema, listAuditEvents } from "@/lib/audit/service";

/** The next page of the trail for "Load more" (a read: nothing to revalidate). */
export const loadAuditPageAction = action(
  auditQuerySchema.extend({ cursor: z.coerce.number().int().min(1) }),
  ({ projectId }) => (projectId ? { permissions: ["audit:read"], scope: { projectId } } : { permissions: ["audit:readAll"], scope: {} }),
  (actor, query) => listAuditEvents(actor, query),
  { revalidate: false },
);
