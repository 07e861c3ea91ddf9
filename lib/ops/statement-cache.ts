import type { ColumnDefinition, Database, Statement } from "better-sqlite3";

/**
 * Keeps the prepared statements of the one SQLite connection the app opens through Prisma's
 * driver adapter, which prepares every statement anew: preparing cost a third of the SQLite
 * time of a decision (about 1 ms of its 3; `npm run bench:scale`).
 *
 * The adapter (6.19) keeps its better-sqlite3 connection in a `client` field and calls
 * `client.prepare(sql).bind(args)`, then `.run()`, or `.reader`, `.columns()` and `.raw().all()`.
 * A prepared statement can be bound only once, so the cache hands out a view that passes the
 * arguments on each call instead. ./statement-cache.test.ts fails if a new adapter
 * version stops exposing the connection this way.
 */
export function reusePreparedStatements(adapter: unknown): boolean {
  const client = connectionOf(adapter);
  if (!client) return false;
  client.prepare = cachedPrepare(client);
  return true;
}

/**
 * Makes the adapter open each transaction with BEGIN IMMEDIATE instead of its deferred BEGIN. A
 * deferred transaction takes SQLite's write lock only at its first write; one that read before
 * (most do, and the cache reads the schema version before a new statement) and then finds the
 * lock held by another process (the worker, a second instance's sealer) gets SQLITE_BUSY at once,
 * because waiting could deadlock. Taken at BEGIN, the lock is waited for under the busy timeout
 * like any statement. Transactions of one process already take turns on its one connection.
 */
export function beginTransactionsImmediately(adapter: unknown): boolean {
  const client = connectionOf(adapter);
  if (!client) return false;
  const prepare = client.prepare.bind(client);
  client.prepare = ((source: string) => prepare(source === "BEGIN" ? "BEGIN IMMEDIATE" : source)) as Database["prepare"];
  return true;
}

/** The better-sqlite3 connection the adapter keeps in its `client` field; null when a new adapter version no longer does. */
function connectionOf(adapter: unknown): Database | null {
  const client = (adapter as { client?: unknown }).client;
  return isConnection(client) ? client : null;
}

function isConnection(value: unknown): value is Database {
  return typeof value === "object" && value !== null && typeof (value as Database).prepare === "function" && typeof (value as Database).exec === "function";
}

/** Distinct statements kept; the app has a few hundred, and IN lists of varying length add more. */
const CACHE_SIZE = 1000;

/**
 * A prepared statement, the schema version it was compiled against, and its columns once asked
 * for: better-sqlite3 builds the column list anew on every call (0.03 ms for the queue page's 43
 * columns, every time the page is read), though it changes only with the schema.
 */
type Prepared = { statement: Statement; schemaVersion: number; columns: ColumnDefinition[] | null };

function cachedPrepare(connection: Database): Database["prepare"] {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, Prepared>();
  const versionStatement = prepare("PRAGMA schema_version").pluck();
  const schemaVersion = () => versionStatement.get() as number;
  // Reading the schema table makes SQLite load a schema another connection changed; until a
  // statement over a table runs, it prepares new statements against the schema it had.
  const schemaRead = prepare(`SELECT 1 FROM "sqlite_schema" WHERE 0`);
  const fresh = (source: string): Prepared => {
    // The version first: a change made meanwhile leaves the statement newer than it is marked, never older.
    const version = schemaVersion();
    schemaRead.all();
    const prepared = { schemaVersion: version, statement: prepare(source), columns: null };
    cache.delete(source);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(source, prepared);
    return prepared;
  };
  const reused = (source: string) => {
    let prepared = cache.get(source);
    if (prepared) {
      // Most recently used last, so the first entry is the one to drop.
      cache.delete(source);
      cache.set(source, prepared);
    } else {
      prepared = fresh(source);
    }
    return new ReusedStatement(prepared, source, { schemaVersion, fresh }) as unknown as Statement;
  };
  return reused as Database["prepare"];
}

type Renewal = { schemaVersion: () => number; fresh: (source: string) => Prepared };

/** What the adapter uses of a statement, with the arguments given at each call rather than bound for good. */
class ReusedStatement {
  #prepared: Prepared;
  #source: string;
  #renewal: Renewal;
  #args: unknown[] = [];

  constructor(prepared: Prepared, source: string, renewal: Renewal) {
    this.#prepared = prepared;
    this.#source = source;
    this.#renewal = renewal;
  }

  get reader(): boolean {
    return this.#prepared.statement.reader;
  }

  bind(args: unknown[]): this {
    this.#args = args;
    return this;
  }

  /**
   * The columns kept with the statement while the schema stays as it was compiled against. After
   * a change to the schema (a migration, from any connection) SQLite compiles a statement again
   * only when it next runs, and until then reports its old columns; so the schema is loaded and
   * the statement prepared afresh before its columns are read and kept.
   */
  columns(): ColumnDefinition[] {
    if (this.#prepared.schemaVersion !== this.#renewal.schemaVersion()) this.#prepared = this.#renewal.fresh(this.#source);
    this.#prepared.columns ??= this.#prepared.statement.columns();
    return this.#prepared.columns;
  }

  run() {
    return this.#prepared.statement.run(this.#args);
  }

  raw() {
    const statement = this.#prepared.statement.raw(true);
    return { all: () => statement.all(this.#args) };
  }
}
