import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/generated/postgresql/client";
import { databaseProvider, env } from "@/lib/env";
import { resilientAdapter, type ResilientAdapterFactory } from "@/lib/ops/resilient-adapter";
import { statementPreparingPool } from "@/lib/ops/pg-statement-names";
import { beginTransactionsImmediately, reusePreparedStatements } from "@/lib/ops/statement-cache";
import { registerClient } from "@/lib/sql/direct";

/**
 * The one database client. Both generated clients come from the same schema, so the
 * PostgreSQL client is typed as the SQLite one; the URL scheme picks which is used.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type { Prisma } from "@/lib/generated/sqlite/client";

/** Resolves `file:./data/x.db` against the working directory and makes sure its folder exists. */
export function sqliteFilePath(url: string): string {
  const file = path.resolve(url.replace(/^file:/, ""));
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export function createDb(url = env().DATABASE_URL): Db {
  if (databaseProvider(url) === "sqlite") {
    // A busy timeout lets the web server and a separate worker process share the file.
    const sqlite = new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 10_000 });
    // One connection: transactions take turns, and a connection hurt by a storage failure is reopened.
    const adapter = resilientAdapter(sqlite, {
      reopenAfterStorageFailure: true,
      exclusiveTransactions: true,
      prepareConnection: (inner) => {
        reusePreparedStatements(inner);
        beginTransactionsImmediately(inner);
      },
    });
    return withDirectStatements(new SqliteClient({ adapter }), adapter);
  }
  // A pool: it replaces broken connections itself; the wrapper makes sure each one goes back.
  const pool = statementPreparingPool(url);
  const adapter = resilientAdapter(new PrismaPg(pool, { disposeExternalPool: true }), { reopenAfterStorageFailure: false, exclusiveTransactions: false });
  return withDirectStatements(new PostgresClient({ adapter }) as unknown as Db, adapter);
}

/** Plain statements on this client go straight to its adapter once it is connected (lib/sql/direct.ts). */
function withDirectStatements(client: Db, adapter: ResilientAdapterFactory): Db {
  registerClient(client, () => adapter.connection);
  return client;
}

const globalForDb = globalThis as unknown as { countersignDb?: Db };

/** Lazily created so tests and scripts can point DATABASE_URL somewhere first. */
export function db(): Db {
  globalForDb.countersignDb ??= createDb();
  return globalForDb.countersignDb;
}

/** Closes the shared client (scripts and tests call this before exiting). */
export async function disconnectDb(): Promise<void> {
  await globalForDb.countersignDb?.$disconnect();
  globalForDb.countersignDb = undefined;
}
