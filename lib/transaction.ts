import { db, type Tx } from "@/lib/db";

/** Runs a unit of work in one transaction: the change and its audit event commit together. */
export function transact<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work, { timeout: 15_000, maxWait: 15_000 });
}
