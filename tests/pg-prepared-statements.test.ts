import { afterEach, describe, expect, it } from "vitest";
import type pg from "pg";
import { databaseProvider, env } from "@/lib/env";
import { MAX_NAMED, statementName, statementPreparingPool } from "@/lib/ops/pg-statement-names";

/**
 * On PostgreSQL each connection prepares a parameterised statement once under a name derived
 * from its text (lib/ops/pg-statement-names.ts): the same rows come back, a pooler that cannot
 * keep prepared statements turns it off, and a statement whose table changed shape recovers.
 */
const pools: pg.Pool[] = [];

function onePool(url = env().DATABASE_URL): pg.Pool {
  const pool = statementPreparingPool(url);
  pool.options.max = 1;
  pools.push(pool);
  return pool;
}

const preparedNames = async (pool: pg.Pool) =>
  (await pool.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY name")).rows.map((row) => row.name);

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

describe.skipIf(databaseProvider() !== "postgresql")("PostgreSQL statements prepared once per connection", () => {
  it("names a parameterised statement by its text and gives the same rows each call", async () => {
    const pool = onePool();
    const text = "SELECT $1::int + 1 AS next, $2::text AS word";
    for (const n of [1, 2, 3]) expect((await pool.query({ text, values: [n, `w${n}`] })).rows).toEqual([{ next: n + 1, word: `w${n}` }]);
    // A statement without parameters (BEGIN, COMMIT, the query below) keeps the simple protocol.
    expect(await preparedNames(pool)).toEqual([statementName(text)]);
  });

  it("prepares nothing behind a pooler declared with pgbouncer=true", async () => {
    const url = new URL(env().DATABASE_URL);
    url.searchParams.set("pgbouncer", "true");
    const pool = onePool(url.toString());
    expect((await pool.query({ text: "SELECT $1::int AS one", values: [1] })).rows).toEqual([{ one: 1 }]);
    expect(await preparedNames(pool)).toEqual([]);
  });

  it("runs a statement unnamed once its table changed shape under the prepared form", async () => {
    const pool = onePool();
    await pool.query(`CREATE TABLE "PreparedShape" ("id" int PRIMARY KEY)`);
    await pool.query(`INSERT INTO "PreparedShape" VALUES (1)`);
    const text = `SELECT * FROM "PreparedShape" WHERE "id" = $1`;
    expect((await pool.query({ text, values: [1] })).rows).toEqual([{ id: 1 }]);
    await pool.query(`ALTER TABLE "PreparedShape" ADD COLUMN "note" text`);
    await expect(pool.query({ text, values: [1] })).rejects.toMatchObject({ code: "0A000" });
    expect((await pool.query({ text, values: [1] })).rows).toEqual([{ id: 1, note: null }]);
  });

  it("keeps at most MAX_NAMED statements per connection and runs the rest unnamed", async () => {
    const pool = onePool();
    for (let i = 0; i < MAX_NAMED + 5; i++) expect((await pool.query({ text: `SELECT $1::int + ${i} AS n`, values: [1] })).rows).toEqual([{ n: 1 + i }]);
    expect(await preparedNames(pool)).toHaveLength(MAX_NAMED);
  });
});
