import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { limitOf, planNeutral, sql } from "./statements";

describe("planNeutral", () => {
  it("keeps the value a bound parameter, inside a CAST of its type", () => {
    const text = sql`SELECT 1 WHERE "stageId" = ${planNeutral("stage-1")} LIMIT ${planNeutral(51)}`;
    expect(text.sql).toBe(`SELECT 1 WHERE "stageId" = CAST(? AS TEXT) LIMIT CAST(? AS INTEGER)`);
    expect(text.text).toBe(`SELECT 1 WHERE "stageId" = CAST($1 AS TEXT) LIMIT CAST($2 AS INTEGER)`);
    expect(text.values).toEqual(["stage-1", 51]);
  });

  it("finds the same rows as the plain parameter, through the same index", () => {
    const connection = new Database(":memory:");
    connection.exec(`CREATE TABLE "Item" ("id" TEXT PRIMARY KEY, "stageId" TEXT NOT NULL, "createdAt" TEXT NOT NULL);
      CREATE INDEX "Item_stageId_createdAt_idx" ON "Item" ("stageId", "createdAt");`);
    const insert = connection.prepare(`INSERT INTO "Item" VALUES (?, ?, ?)`);
    for (let n = 0; n < 200; n++) insert.run(`i${n}`, `s${n % 4}`, String(1000 + n));
    connection.exec("ANALYZE");
    const page = (where: ReturnType<typeof sql>) => {
      const statement = sql`SELECT "id" FROM "Item" WHERE ${where} ORDER BY "createdAt" LIMIT ${planNeutral(3)}`;
      return {
        rows: connection.prepare(statement.sql).all(...statement.values),
        plan: connection.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.values).map((row) => (row as { detail: string }).detail),
      };
    };
    const plain = page(sql`"stageId" = ${"s2"}`);
    const neutral = page(sql`"stageId" = ${planNeutral("s2")}`);
    expect(neutral.rows).toEqual([{ id: "i2" }, { id: "i6" }, { id: "i10" }]);
    expect(neutral).toEqual(plain);
    connection.close();
  });
});

describe("limitOf", () => {
  it("writes a row count into the statement's text, and refuses anything else", () => {
    const text = sql`SELECT 1 LIMIT ${limitOf(51)}`;
    expect([text.sql, text.text, text.values]).toEqual(["SELECT 1 LIMIT 51", "SELECT 1 LIMIT 51", []]);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => limitOf(bad)).toThrow(/not a row count/);
  });
});
