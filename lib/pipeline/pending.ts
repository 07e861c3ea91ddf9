import { planNeutral, selectRows, sql, type SqlClient } from "@/lib/sql/statements";

/**
 * Whether people still have an item of this run to decide: a seek on ReviewItem(runId, status), as
 * a plain statement, asked after a decision that may have been the run's last (the run id through
 * planNeutral, so SQLite does not compile it again each time).
 */
export async function hasPendingItems(client: SqlClient, runId: string): Promise<boolean> {
  const stillPending = await selectRows(client, sql`SELECT 1 FROM "ReviewItem" WHERE "runId" = ${planNeutral(runId)} AND "status" IN ('pending', 'needs_adjudication') LIMIT 1`);
  return stillPending.length > 0;
}
