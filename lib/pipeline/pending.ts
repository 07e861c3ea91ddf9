import { Prisma } from "@/lib/generated/sqlite/client";
import { planNeutral, selectRows, sql, type Sql, type SqlClient } from "@/lib/sql/statements";

/** The statuses of a review item people still have to decide: waiting for a reviewer, or disputed and waiting for its owner. */
export const WAITING_STATUSES = ["pending", "needs_adjudication"] as const;

/** `<column> IN ('pending', 'needs_adjudication')`: the statuses as literals, which an index on the status column reads. */
export function isWaiting(column: Sql): Sql {
  return sql`${column} IN (${Prisma.raw(WAITING_STATUSES.map((status) => `'${status}'`).join(", "))})`;
}

/**
 * Whether people still have an item of this run to decide: a seek on ReviewItem(runId, status), as
 * a plain statement, asked after a decision that may have been the run's last (the run id through
 * planNeutral, so SQLite does not compile it again each time).
 */
export async function hasPendingItems(client: SqlClient, runId: string): Promise<boolean> {
  const stillPending = await selectRows(client, sql`SELECT 1 FROM "ReviewItem" WHERE "runId" = ${planNeutral(runId)} AND ${isWaiting(sql`"status"`)} LIMIT 1`);
  return stillPending.length > 0;
}
