import type { Tx } from "@/lib/db";

/** Whether people still have an item of this run to decide: a seek on ReviewItem(runId, status), in plain SQL (no query to build). */
export async function hasPendingItems(client: Tx, runId: string): Promise<boolean> {
  const stillPending = await client.$queryRaw<unknown[]>`SELECT 1 FROM "ReviewItem" WHERE "runId" = ${runId} AND "status" IN ('pending', 'needs_adjudication') LIMIT 1`;
  return stillPending.length > 0;
}
