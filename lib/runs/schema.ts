import { z } from "zod";
import type { RunStatus } from "@/lib/generated/sqlite/enums";

/** Runs in these states never change again: a live feed of one ends there. */
export const finalRunStatuses = ["completed", "failed"] as const satisfies readonly RunStatus[];

export function isFinalRun(status: RunStatus): boolean {
  return (finalRunStatuses as readonly RunStatus[]).includes(status);
}

/** The version of a feed's state, sent as each event's id (lib/runs/event-stream.ts). */
export const feedVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an event id this feed sent")
  .meta({ description: "An event id this feed sent: nothing is sent until the state differs from it (the Last-Event-ID header takes precedence)" });

export const feedQuerySchema = z.strictObject({ since: feedVersionSchema.optional() });
