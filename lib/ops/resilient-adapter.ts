import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { isStorageFailure } from "@/lib/errors";
import { announceTransaction } from "@/lib/sql/direct";

/**
 * Wraps a Prisma driver adapter so that a storage failure cannot wedge the app.
 *
 * The stock adapters (6.19) release their transaction (the SQLite adapter's mutex, the pg pool
 * client) only after the COMMIT or ROLLBACK statement succeeded. When that statement fails (disk
 * full, SQLite already rolled the transaction back, connection gone), the release never happens:
 * on SQLite every later transaction waits forever for the mutex, on PostgreSQL the pool loses a
 * client each time. Here COMMIT and ROLLBACK are ours (the transaction manager is told they are
 * "phantom"), a failed COMMIT is rolled back explicitly, and the release always happens.
 *
 * SQLite also keeps a connection that opened read-only (the file was not writable at start)
 * read-only forever, so after a storage failure the connection is reopened before the next use.
 *
 * The connected adapter and each transaction it starts also run plain statements of
 * lib/sql/direct.ts, past the ORM: `connection` is the adapter once the ORM connected it.
 */
type Options = {
  reopenAfterStorageFailure: boolean;
  exclusiveTransactions: boolean;
  /** Called on each new connection of the inner adapter, before its first statement. */
  prepareConnection?: (inner: SqlDriverAdapter) => void;
};

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

export type ResilientAdapterFactory = SqlDriverAdapterFactory & { readonly connection: ResilientAdapter | null };

export function resilientAdapter(factory: SqlDriverAdapterFactory, options: Options): ResilientAdapterFactory {
  let connection: ResilientAdapter | null = null;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    get connection() {
      return connection?.closed === false ? connection : null;
    },
    connect: async () => (connection = new ResilientAdapter(factory, await connect(factory, options), options)),
  };
}

async function connect(factory: SqlDriverAdapterFactory, options: Options): Promise<SqlDriverAdapter> {
  const inner = await factory.connect();
  options.prepareConnection?.(inner);
  return inner;
}

/** A FIFO lock: SQLite has one connection, so interactive transactions take turns on it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const turn = this.#tail.then(() => {
      this.#held = true;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.#held = false;
        release();
      };
    });
    this.#tail = this.#tail.then(() => next);
    return turn;
  }
}

class ResilientAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  #factory: SqlDriverAdapterFactory;
  #inner: SqlDriverAdapter;
  #options: Options;
  #broken = false;
  #disposed = false;
  #lock = new Lock();

  constructor(factory: SqlDriverAdapterFactory, inner: SqlDriverAdapter, options: Options) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.#factory = factory;
    this.#inner = inner;
    this.#options = options;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#outside((inner) => inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#outside((inner) => inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#outside((inner) => inner.executeScript(script));
  }

  getConnectionInfo() {
    return this.#inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  /** True once disposed (the ORM disconnected). */
  get closed(): boolean {
    return this.#disposed;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#inner.dispose();
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = this.#options.exclusiveTransactions ? await this.#lock.acquire() : () => undefined;
    try {
      await this.#reopenIfBroken();
      const inner = await this.#inner.startTransaction(isolationLevel);
      const transaction = new ResilientTransaction(inner, (error) => this.#noteFailure(error), release);
      announceTransaction(transaction);
      return transaction;
    } catch (error) {
      release();
      this.#noteFailure(error);
      throw error;
    }
  }

  /** A statement outside an interactive transaction; it may reopen the connection first. */
  async #outside<T>(work: (inner: SqlDriverAdapter) => Promise<T>): Promise<T> {
    if (!this.#lock.held) await this.#reopenIfBroken();
    try {
      return await work(this.#inner);
    } catch (error) {
      this.#noteFailure(error);
      throw error;
    }
  }

  #noteFailure(error: unknown): void {
    if (this.#options.reopenAfterStorageFailure && isStorageFailure(error)) this.#broken = true;
  }

  /** Only called while no transaction is open on the connection (the lock is free or ours). */
  async #reopenIfBroken(): Promise<void> {
    if (!this.#broken) return;
    const fresh = await connect(this.#factory, this.#options);
    const old = this.#inner;
    this.#inner = fresh;
    this.#broken = false;
    // Closing rolls back anything SQLite still held open on the old connection.
    await old.dispose().catch(() => undefined);
  }
}

class ResilientTransaction implements Transaction {
  readonly options = { usePhantomQuery: true };
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  #inner: Transaction;
  #onFailure: (error: unknown) => void;
  #release: () => void;
  #closed = false;

  constructor(inner: Transaction, onFailure: (error: unknown) => void, release: () => void) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.#inner = inner;
    this.#onFailure = onFailure;
    this.#release = release;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    try {
      return await this.#inner.queryRaw(query);
    } catch (error) {
      this.#onFailure(error);
      throw error;
    }
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    try {
      return await this.#inner.executeRaw(query);
    } catch (error) {
      this.#onFailure(error);
      throw error;
    }
  }

  /** True from the moment COMMIT or ROLLBACK is asked for: no statement may run in it after that. */
  get closed(): boolean {
    return this.#closed;
  }

  async commit(): Promise<void> {
    this.#closed = true;
    try {
      await this.#inner.executeRaw(statement("COMMIT"));
    } catch (error) {
      this.#onFailure(error);
      // SQLite may keep the transaction open after a failed COMMIT: end it so nothing half-done lingers.
      await this.#inner.executeRaw(statement("ROLLBACK")).catch(() => undefined);
      await this.#finish("rollback");
      throw error;
    }
    await this.#finish("commit");
  }

  async rollback(): Promise<void> {
    this.#closed = true;
    try {
      await this.#inner.executeRaw(statement("ROLLBACK"));
    } catch (error) {
      // "No transaction is active": SQLite already rolled back after the failed statement.
      this.#onFailure(error);
    }
    await this.#finish("rollback");
  }

  /** Hands the connection back (the stock adapters release it in commit()/rollback()), then our lock. */
  async #finish(how: "commit" | "rollback"): Promise<void> {
    try {
      await (how === "commit" ? this.#inner.commit() : this.#inner.rollback());
    } finally {
      this.#release();
    }
  }
}
