import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import { directProvider, directStatement, executeDirect, queryDirect } from "./direct";

/**
 * Plain SQL for the paths every request takes (a decision, a token check, an access check).
 * An ORM call is planned and mapped on every call, which costs several times the indexed read
 * or write it runs; a plain statement skips most of that. Statements are `sql` templates, so
 * every value is bound as a parameter, never spliced into the text, and each is written once
 * for SQLite and PostgreSQL:
 *   - identifiers "Quoted" as the schema spells them;
 *   - enum values and JSON as text: PostgreSQL gives an untyped parameter its column's type;
 *   - dates as Date objects: the driver adapters store them exactly as the ORM does
 *     (ISO 8601 text with "+00:00" on SQLite, timestamp(3) on PostgreSQL);
 *   - yes/no facts as CASE ... THEN 1 ELSE 0 END, read back with flag().
 * Rows come back with the types the database reports: a column read as-is keeps its type
 * (DateTime as Date, Json parsed), a computed one may not (SQLite has no type for it), so
 * computed values go through the readers below.
 * Statements skip the ORM's query pipeline and go to the driver adapter (./direct.ts), with the
 * same result; whatever that path cannot vouch for goes through the ORM.
 */
export const sql = Prisma.sql;
export const join = Prisma.join;
export const empty = Prisma.empty;
export type Sql = Prisma.Sql;

/** The shared client or a transaction: both run plain statements. */
export type SqlClient = Pick<Db, "$queryRaw" | "$executeRaw"> | Tx;

/** The rows a SELECT (or a statement with RETURNING) gives, typed by the caller. */
export async function selectRows<Row>(client: SqlClient, query: Sql): Promise<Row[]> {
  try {
    const direct = directStatement(client, query);
    return direct ? ((await queryDirect(direct)) as Row[]) : await client.$queryRaw<Row[]>(query);
  } catch (error) {
    throw asOrmError(error);
  }
}

/** The first row, or null when there is none. */
export async function selectRow<Row>(client: SqlClient, query: Sql): Promise<Row | null> {
  return (await selectRows<Row>(client, query))[0] ?? null;
}

/** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
export async function execute(client: SqlClient, query: Sql): Promise<number> {
  try {
    const direct = directStatement(client, query);
    return direct ? await executeDirect(direct) : await client.$executeRaw(query);
  } catch (error) {
    throw asOrmError(error);
  }
}

/** One write of a batch: an INSERT, UPDATE or DELETE without RETURNING, and what it returns per row changed. */
export type Write = { statement: Sql; returning?: Sql };

/**
 * Writes that neither read nor change each other's rows, in one round trip on PostgreSQL: each
 * becomes a data-modifying WITH clause of one statement (which runs every clause once, all of
 * them against the same snapshot, so one cannot see another's rows), and each clause's rows come
 * back as a JSON array. A decision's closing writes (the artifact, the decision, its label, its
 * audit event) took four round trips, each costing the server a socket write and a wake-up and
 * PostgreSQL a statement. SQLite, in process, runs them one after another, in the order given.
 * Returns each write's rows (`returning`, by default `1 AS "changed"`, one per row changed) under
 * its key; on PostgreSQL a row's values are as JSON gives them (text, numbers, booleans).
 */
export async function writeTogether<Key extends string>(client: SqlClient, writes: Partial<Record<Key, Write>>): Promise<Record<Key, Record<string, unknown>[]>> {
  const entries = (Object.entries(writes) as [Key, Write | undefined][]).filter((entry): entry is [Key, Write] => entry[1] !== undefined);
  const returningOf = (write: Write) => sql`${write.statement} RETURNING ${write.returning ?? sql`1 AS "changed"`}`;
  const rows = {} as Record<Key, Record<string, unknown>[]>;
  if (entries.length < 2 || directProvider(client) !== "postgres") {
    for (const [key, write] of entries) rows[key] = await selectRows(client, returningOf(write));
    return rows;
  }
  for (const [key] of entries) if (!/^[a-z][a-zA-Z]*$/.test(key)) throw new Error(`writeTogether: "${key}" is not a plain name`);
  const clauses = join(entries.map(([key, write]) => sql`${Prisma.raw(`"w_${key}"`)} AS (${returningOf(write)})`), ", ");
  const columns = join(entries.map(([key]) => Prisma.raw(`(SELECT COALESCE(json_agg(w), '[]') FROM "w_${key}" w) AS "${key}"`)), ", ");
  const [row] = await selectRows<Record<Key, unknown>>(client, sql`WITH ${clauses} SELECT ${columns}`);
  for (const [key] of entries) {
    const value = row[key];
    rows[key] = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>[];
  }
  return rows;
}

/** A Json column's value as a parameter: the JSON text, or NULL for no value. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * A bound value the SQLite planner does not read, in a statement run often: a value compared with
 * the first column of an index (in a statement that joins, even a primary key; a lookup by key in
 * one table skips the planner), each value of an IN list (a LIMIT is better a literal: limitOf).
 * Once ANALYZE has sampled an index (sqlite_stat4), SQLite plans with such a value and compiles
 * the statement again each time it is bound, which is every call: the prepared statement is never
 * reused (the queue's page spent 0.3 ms of its 1 ms compiling, a decision 0.4 ms of its 1.5).
 * Inside a CAST the value is still a parameter; the plan is the one the index gives any value. For
 * text and integer columns only: PostgreSQL will not compare an enum column with text.
 */
export function planNeutral(value: string | number): Sql {
  return typeof value === "number" ? sql`CAST(${value} AS INTEGER)` : sql`CAST(${value} AS TEXT)`;
}

/**
 * A LIMIT as a literal in the statement's text. Bound as a parameter, PostgreSQL cannot tell how
 * many rows a prepared statement's generic plan stops after, so it costs that plan as if it read
 * every row and plans the statement again on every call (the queue's page: 1.9 ms of planning for
 * 1.2 ms of execution); SQLite re-plans it too once ANALYZE has run. A literal gives both the
 * number; each page size a caller may ask for (the queue takes 1 to 100) is one more statement kept.
 */
export function limitOf(rows: number): Sql {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`limitOf: ${rows} is not a row count`);
  return Prisma.raw(String(rows));
}

/** A computed yes/no: 1 or 0 on SQLite (a number or a bigint), an int or a boolean on PostgreSQL. */
export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "1";
}

/** A computed date: SQLite gives the stored text, PostgreSQL a Date. */
export function date(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

/**
 * A new row id shaped like the ORM's cuid() (a "c", the time, a counter, randomness: 25
 * lowercase characters), so ids made here and by the ORM look alike and sort by creation time
 * within a process just the same.
 */
export function newId(): string {
  counter = (counter + 1) % COUNTER_SPAN;
  const time = Date.now().toString(36).padStart(8, "0");
  const count = counter.toString(36).padStart(4, "0");
  const random = BigInt(`0x${randomBytes(8).toString("hex")}`).toString(36).padStart(12, "0").slice(-12);
  return `c${time}${count}${random}`;
}
const COUNTER_SPAN = 36 ** 4;
let counter = Math.floor(Math.random() * COUNTER_SPAN);

/**
 * A plain statement that breaks a unique or foreign key fails as "raw query failed" (P2010);
 * the same failure through the ORM is P2002 or P2003, which lib/errors.ts answers with 409 or
 * 422. Give it the ORM's code so the caller sees no difference.
 */
function asOrmError(error: unknown): unknown {
  if (!isKnownRequestError(error) || error.code !== "P2010") return error;
  const cause = (error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause;
  const code = cause?.kind === "UniqueConstraintViolation" ? "P2002" : cause?.kind === "ForeignKeyConstraintViolation" ? "P2003" : null;
  if (!code) return error;
  return new Prisma.PrismaClientKnownRequestError(error.message, { code, clientVersion: error.clientVersion, meta: error.meta });
}

/**
 * By name rather than instanceof: a statement the ORM ran may fail with the error class of
 * another bundled copy of the generated client (see the registry in ./direct.ts).
 */
function isKnownRequestError(error: unknown): error is InstanceType<typeof Prisma.PrismaClientKnownRequestError> {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError" && typeof (error as { code?: unknown }).code === "string";
}
