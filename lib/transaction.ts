import { db, type Tx } from "@/lib/db";
import { withAnnouncedTransaction } from "@/lib/sql/direct";

/**
 * Runs a unit of work in one transaction: the change and its audit event commit together. The
 * plain statements of lib/sql/statements.ts in it go straight to the transaction the adapter
 * opened for it (lib/sql/direct.ts); ORM calls go through the ORM, on the same transaction.
 */
export function transact<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return withAnnouncedTransaction((bind) => db().$transaction((tx) => work(bind(tx)), { timeout: 15_000, maxWait: 15_000 }));
}
