import type { Database, Statement } from "better-sqlite3";

/**
 * Keeps the prepared statements of the one SQLite connection the app opens through Prisma's
 * driver adapter, which prepares every statement anew: preparing cost a third of the SQLite
 * time of a decision (about 1 ms of its 3; `npm run bench:scale`).
 *
 * The adapter (6.19) keeps its better-sqlite3 connection in a `client` field and calls
 * `client.prepare(sql).bind(args)`, then `.run()`, or `.reader`, `.columns()` and `.raw().all()`.
 * A prepared statement can be bound only once, so the cache hands out a view that passes the
 * arguments on each call instead. tests/statement-cache.test.ts fails if a new adapter
 * version stops exposing the connection this way.
 */
export function reusePreparedStatements(adapter: unknown): boolean {
  const client = (adapter as { client?: unknown }).client;
  if (!isConnection(client)) return false;
  client.prepare = cachedPrepare(client);
  return true;
}

function isConnection(value: unknown): value is Database {
  return typeof value === "object" && value !== null && typeof (value as Database).prepare === "function" && typeof (value as Database).exec === "function";
}

/** Distinct statements kept; the app has a few hundred, and IN lists of varying length add more. */
const CACHE_SIZE = 1000;

function cachedPrepare(connection: Database): Database["prepare"] {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, Statement>();
  const reused = (source: string) => {
    let statement = cache.get(source);
    if (statement) {
      // Most recently used last, so the first entry is the one to drop.
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return new ReusedStatement(statement) as unknown as Statement;
  };
  return reused as Database["prepare"];
}

/** What the adapter uses of a statement, with the arguments given at each call rather than bound for good. */
class ReusedStatement {
  #statement: Statement;
  #args: unknown[] = [];

  constructor(statement: Statement) {
    this.#statement = statement;
  }

  get reader(): boolean {
    return this.#statement.reader;
  }

  bind(args: unknown[]): this {
    this.#args = args;
    return this;
  }

  columns() {
    return this.#statement.columns();
  }

  run() {
    return this.#statement.run(this.#args);
  }

  raw() {
    const statement = this.#statement.raw(true);
    return { all: () => statement.all(this.#args) };
  }
}
