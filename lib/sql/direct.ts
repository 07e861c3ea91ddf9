import { AsyncLocalStorage } from "node:async_hooks";
import type { ArgType, ColumnType, ColumnTypeEnum, SqlQuery, SqlResultSet } from "@prisma/driver-adapter-utils";
import { Prisma } from "@/lib/generated/sqlite/client";
import { rowBuilder } from "./row-builder";

/**
 * Plain statements handed straight to the driver adapter the ORM connected, past the ORM's
 * request pipeline. Through the ORM a raw statement is serialised to JSON, compiled to a query
 * plan (WebAssembly), interpreted and its rows serialised and parsed again: about 0.3 ms of CPU
 * each, several times what SQLite takes to run it, on every statement of every decision.
 *
 * It changes nothing but the route: the same connection (inside a transaction, the transaction
 * transact() opened, which lib/ops/resilient-adapter.ts announces here), the same arguments and
 * argument types the ORM would pass for each value, rows mapped to the same JavaScript values
 * (dates as Date, Json parsed, 64-bit integers as bigint), and failures thrown as the ORM throws
 * them. Whatever it cannot vouch for goes the ORM's way, which stays correct: a client or
 * transaction it was not told about, a transaction already closed (the ORM then says why), a
 * value other than text, a safe number, a boolean, null, a date or a bigint.
 * tests/sql-direct.test.ts runs statements both ways and compares.
 */

/** What runs a statement: the connected adapter, or one transaction of it. */
export type Queryable = {
  readonly provider: "sqlite" | "postgres" | string;
  /** True once the transaction committed or rolled back (never for the adapter itself). */
  readonly closed: boolean;
  queryRaw(query: SqlQuery): Promise<SqlResultSet>;
  executeRaw(query: SqlQuery): Promise<number>;
};

type Registry = {
  connections: WeakMap<object, () => Queryable | null>;
  transactions: WeakMap<object, Queryable>;
  starting: AsyncLocalStorage<{ transaction: Queryable | null }>;
};

/**
 * One registry per process. Next.js bundles instrumentation.ts (which starts the job workers,
 * and with them the database client) apart from the routes, so this module can be loaded more
 * than once: with a registry per copy, the routes never saw the client the workers had
 * registered nor the transactions its adapter announced, and every statement of every decision
 * went through the ORM whenever the server ran the workers.
 */
const registry = ((globalThis as unknown as { countersignDirect?: Registry }).countersignDirect ??= {
  connections: new WeakMap(),
  transactions: new WeakMap(),
  starting: new AsyncLocalStorage(),
});
const { connections, transactions, starting } = registry;

/** A database client and how to reach the adapter it connected (null until it has). */
export function registerClient(client: object, connection: () => Queryable | null): void {
  connections.set(client, connection);
}

/**
 * Called by the adapter when a transaction starts. When transact() is starting one in this
 * async context, this is it (the ORM starts the adapter's transaction before it runs the work).
 */
export function announceTransaction(transaction: Queryable): void {
  const slot = starting.getStore();
  if (slot && !slot.transaction) slot.transaction = transaction;
}

/**
 * Starts an interactive transaction through `open`, whose work receives the ORM's transaction
 * client: `bind` ties that client to the adapter transaction announced meanwhile.
 */
export function withAnnouncedTransaction<T>(open: (bind: <Tx extends object>(tx: Tx) => Tx) => Promise<T>): Promise<T> {
  const slot: { transaction: Queryable | null } = { transaction: null };
  return starting.run(slot, () =>
    open((tx) => {
      if (slot.transaction) transactions.set(tx, slot.transaction);
      return tx;
    }),
  );
}

type Direct = { queryable: Queryable; query: SqlQuery };

/** The statement as the adapter would receive it from the ORM, and where to run it; null to go through the ORM. */
export function directStatement(client: object, statement: Prisma.Sql): Direct | null {
  const queryable = queryableOf(client);
  if (!queryable) return null;
  const args: unknown[] = [];
  const argTypes: ArgType[] = [];
  for (const value of statement.values) {
    const arg = plainArg(value);
    if (!arg) return null;
    args.push(arg[0]);
    argTypes.push(arg[1]);
  }
  if (queryable.provider === "sqlite") return { queryable, query: { sql: statement.sql, args, argTypes } };
  // The ORM refuses ALTER with parameters on PostgreSQL; let it say so.
  if (queryable.provider !== "postgres" || (args.length > 0 && /^\s*alter\s/i.test(statement.text))) return null;
  return { queryable, query: { sql: statement.text, args, argTypes } };
}

/** The database a client's plain statements go to directly ("sqlite", "postgres"); null when they go through the ORM. */
export function directProvider(client: object): string | null {
  return queryableOf(client)?.provider ?? null;
}

/** Where a client's plain statements run: its transaction while open, else its connected adapter; null for the ORM's way. */
function queryableOf(client: object): Queryable | null {
  const bound = transactions.get(client);
  return bound ? (bound.closed ? null : bound) : (connections.get(client)?.() ?? null);
}

// The ORM passes dbType null for raw parameters, though the adapter's type says string | undefined.
const scalar = (scalarType: ArgType["scalarType"]): ArgType => ({ arity: "scalar", scalarType, dbType: null }) as unknown as ArgType;
const TEXT = scalar("string");
const INT = scalar("int");
const FLOAT = scalar("float");
const BOOLEAN = scalar("boolean");
const NULL = scalar("unknown");
const DATETIME = scalar("datetime");
const BIGINT = scalar("bigint");

/** A value as the ORM's query compiler passes it to the adapter, with its type; null for anything else. */
function plainArg(value: unknown): [unknown, ArgType] | null {
  switch (typeof value) {
    case "string":
      return [value, TEXT];
    case "boolean":
      return [value, BOOLEAN];
    case "number":
      if (Number.isSafeInteger(value)) return [value === 0 ? 0 : value, INT];
      return Number.isFinite(value) && !Number.isInteger(value) ? [value, FLOAT] : null;
    case "bigint":
      return [value.toString(), BIGINT];
    case "object":
      if (value === null) return [null, NULL];
      if (value instanceof Date && !Number.isNaN(value.getTime())) return [value.toJSON(), DATETIME];
      return null;
    default:
      return null;
  }
}

/** Runs a SELECT (or a statement with RETURNING) on the adapter; the rows as $queryRaw gives them. */
export async function queryDirect(direct: Direct): Promise<Record<string, unknown>[]> {
  let result: SqlResultSet;
  try {
    result = await direct.queryable.queryRaw(direct.query);
  } catch (error) {
    throw asClientError(error);
  }
  return rowsOf(result);
}

/** Runs an INSERT, UPDATE or DELETE on the adapter; how many rows it changed, as $executeRaw says. */
export async function executeDirect(direct: Direct): Promise<number> {
  try {
    return await direct.queryable.executeRaw(direct.query);
  } catch (error) {
    throw asClientError(error);
  }
}

// The adapter's column types (@prisma/driver-adapter-utils ColumnTypeEnum), checked against it.
const Int32: typeof ColumnTypeEnum.Int32 = 0;
const Int64: typeof ColumnTypeEnum.Int64 = 1;
const Numeric: typeof ColumnTypeEnum.Numeric = 4;
const Date_: typeof ColumnTypeEnum.Date = 8;
const Time: typeof ColumnTypeEnum.Time = 9;
const DateTime: typeof ColumnTypeEnum.DateTime = 10;
const Json: typeof ColumnTypeEnum.Json = 11;
const Boolean_: typeof ColumnTypeEnum.Boolean = 5;
const Bytes: typeof ColumnTypeEnum.Bytes = 13;
const Int32Array: typeof ColumnTypeEnum.Int32Array = 64;
const Int64Array: typeof ColumnTypeEnum.Int64Array = 65;
const NumericArray: typeof ColumnTypeEnum.NumericArray = 68;
const BooleanArray: typeof ColumnTypeEnum.BooleanArray = 69;
const DateArray: typeof ColumnTypeEnum.DateArray = 72;
const TimeArray: typeof ColumnTypeEnum.TimeArray = 73;
const DateTimeArray: typeof ColumnTypeEnum.DateTimeArray = 74;
const JsonArray: typeof ColumnTypeEnum.JsonArray = 75;
const BytesArray: typeof ColumnTypeEnum.BytesArray = 77;

/**
 * Rows as objects, each value converted as the ORM converts a raw result (the query engine's
 * serialisation of the result set, then the client's deserialisation, in one step).
 */
function rowsOf(result: SqlResultSet): Record<string, unknown>[] {
  const { columnNames, columnTypes } = result;
  const build = rowBuilder(columnNames);
  // A value missing from a row (no adapter leaves one out) reads as null.
  const convert = (value: unknown, column: number) => valueOf(value ?? null, columnTypes[column]);
  return result.rows.map((row) => build(row, convert));
}

function valueOf(value: unknown, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case Int32:
      return int32(value);
    case Int64:
      return int64(value);
    case Json:
      return json(value);
    case Boolean_:
      return boolean(value);
    case Bytes:
      return bytes(value);
    case Numeric:
      return new Prisma.Decimal(value as string);
    case DateTime:
    case Date_:
      return new Date(value as string);
    case Time:
      return new Date(`1970-01-01T${value as string}Z`);
    case Int32Array:
      return arrayOf(value, int32);
    case Int64Array:
      return arrayOf(value, int64);
    case JsonArray:
      return arrayOf(value, json);
    case BooleanArray:
      return arrayOf(value, boolean);
    case BytesArray:
      return arrayOf(value, bytes);
    case NumericArray:
      return arrayOf(value, (item) => (item === null ? null : new Prisma.Decimal(item as string)));
    case DateTimeArray:
    case DateArray:
      return arrayOf(value, (item) => (item === null ? null : new Date(item as string)));
    case TimeArray:
      return arrayOf(value, (item) => (item === null ? null : new Date(`1970-01-01T${item as string}Z`)));
    default:
      return value;
  }
}

function arrayOf(value: unknown, item: (value: unknown) => unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`Cannot serialize value of type ${typeof value} as an array`);
  return value.map(item);
}

function int32(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "number") return Math.trunc(value);
  if (typeof value === "string") return Math.trunc(Number(value));
  throw new Error(`Cannot serialize value of type ${typeof value} as Int32`);
}

function int64(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "number") return BigInt(Math.trunc(value));
  if (typeof value === "string") return BigInt(value);
  throw new Error(`Cannot serialize value of type ${typeof value} as Int64`);
}

function json(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "string") return JSON.parse(value);
  throw new Error(`Cannot serialize value of type ${typeof value} as Json`);
}

function boolean(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value === "true" || value === "1";
  if (typeof value === "number") return value === 1;
  throw new Error(`Cannot serialize value of type ${typeof value} as Boolean`);
}

function bytes(value: unknown): unknown {
  if (value === null) return null;
  if (!Array.isArray(value)) throw new Error(`Cannot serialize value of type ${typeof value} as Bytes`);
  const { buffer, byteOffset, byteLength } = Buffer.from(new Uint8Array(value as number[]));
  return new Uint8Array(buffer, byteOffset, byteLength);
}

/** A failure as the ORM reports it for a raw statement: an adapter error becomes P2010 with the driver's error in meta. */
function asClientError(error: unknown): unknown {
  const clientVersion = Prisma.prismaVersion.client;
  if (isDriverAdapterError(error)) {
    const { originalCode, originalMessage } = error.cause;
    return new Prisma.PrismaClientKnownRequestError(`Raw query failed. Code: \`${originalCode ?? "N/A"}\`. Message: \`${originalMessage ?? error.message}\``, {
      code: "P2010",
      clientVersion,
      meta: { driverAdapterError: error },
    });
  }
  if (typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string") {
    const { message, code, meta } = error as { message?: string; code: string; meta?: Record<string, unknown> };
    return new Prisma.PrismaClientKnownRequestError(message ?? String(error), { code, clientVersion, meta });
  }
  return error;
}

type DriverAdapterError = Error & { cause: { originalCode?: string; originalMessage?: string } };

function isDriverAdapterError(error: unknown): error is DriverAdapterError {
  return typeof error === "object" && error !== null && (error as Error).name === "DriverAdapterError" && typeof (error as Error).cause === "object";
}
