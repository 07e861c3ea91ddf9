import { beforeAll, describe, expect, it, vi } from "vitest";
import { db, type Tx } from "@/lib/db";
import { directStatement } from "@/lib/sql/direct";
import { execute, selectRows, sql, writeTogether, type Sql } from "@/lib/sql/statements";
import { transact } from "@/lib/transaction";
import { makeUser } from "./helpers";

/**
 * Plain statements reach the driver adapter past the ORM (lib/sql/direct.ts). Each statement
 * here runs both ways, through $queryRaw and through selectRows, and must give the same rows
 * with the same JavaScript types, the same row counts and the same failures.
 */
let userId: string;
const at = new Date("2026-03-04T05:06:07.089Z");

beforeAll(async () => {
  userId = (await makeUser("direct@example.com")).userId;
  await db().$executeRaw`INSERT INTO "ThrottleCounter" ("key", "count", "blockedUntil", "expiresAt") VALUES ('direct', 3, 0, 1780000000123)`;
  await db().webhook.create({ data: { url: "https://example.com/hook", events: ["review_item.decided"], secret: "s", active: false, createdAt: at } });
  await db().auditEvent.create({
    data: { actorType: "system", actorLabel: "test", action: "direct.checked", subjectType: "test", subjectId: "direct", after: { nested: { list: [1, "two", null, true] } }, at },
  });
});

const statements: [string, () => Sql][] = [
  ["text, dates, enums and nulls of a row", () => sql`SELECT "id", "email", "role", "createdAt", "deactivatedAt" FROM "User" WHERE "id" = ${userId}`],
  ["Json, Boolean and an autoincrement id", () => sql`SELECT "id", "events", "active", "url" FROM "Webhook"`],
  ["a Json column holding nested values", () => sql`SELECT "id", "at", "after", "before" FROM "AuditEvent" WHERE "action" = ${"direct.checked"}`],
  ["BigInt columns", () => sql`SELECT "key", "count", "blockedUntil", "expiresAt" FROM "ThrottleCounter" WHERE "key" = ${"direct"}`],
  ["computed counts, flags and cases", () => sql`SELECT COUNT(*) AS "users", CASE WHEN EXISTS (SELECT 1 FROM "User" WHERE "id" = ${userId}) THEN 1 ELSE 0 END AS "known", MAX("createdAt") AS "latest" FROM "User"`],
  ["every kind of parameter", () => sql`SELECT ${"text"} AS "text", ${42} AS "int", ${4.5} AS "float", ${true} AS "yes", ${false} AS "no", ${null} AS "nothing", ${at} AS "at", ${10n} AS "big", ${-2147483649} AS "wide"`],
  ["a date parameter compared with a stored date", () => sql`SELECT "id" FROM "User" WHERE "createdAt" > ${new Date(0)} AND "createdAt" <= ${new Date(Date.now() + 60_000)}`],
  ["no rows", () => sql`SELECT "id", "email" FROM "User" WHERE "id" = ${"nobody"}`],
];

describe("plain statements straight to the driver adapter", () => {
  it("are used once the client is connected", async () => {
    await db().$queryRaw`SELECT 1`;
    expect(directStatement(db(), sql`SELECT ${1}`)).not.toBeNull();
  });

  it.each(statements)("give the rows $queryRaw gives: %s", async (_name, statement) => {
    const viaOrm = await db().$queryRaw<unknown[]>(statement());
    expect(directStatement(db(), statement())).not.toBeNull();
    expect(await selectRows(db(), statement())).toStrictEqual(viaOrm);
  });

  it.each(statements)("give the same rows inside a transaction: %s", async (_name, statement) => {
    await transact(async (tx) => {
      expect(directStatement(tx, statement())).not.toBeNull();
      expect(await selectRows(tx, statement())).toStrictEqual(await tx.$queryRaw<unknown[]>(statement()));
    });
  });

  it("are used by another copy of the module too (the server bundles its workers apart from its routes)", async () => {
    await db().$queryRaw`SELECT 1`;
    vi.resetModules();
    const copy = await import("@/lib/sql/direct");
    expect(copy.directStatement).not.toBe(directStatement);
    // The client registered with the first copy, its transactions announced to it, are found by the second.
    expect(copy.directStatement(db(), sql`SELECT ${1}`)).not.toBeNull();
    await transact(async (tx) => expect(copy.directStatement(tx, sql`SELECT ${1}`)).not.toBeNull());
    await copy.withAnnouncedTransaction((bind) => db().$transaction(async (tx) => expect(copy.directStatement(bind(tx), sql`SELECT ${1}`)).not.toBeNull()));
  });

  it("leave values the ORM converts otherwise to the ORM", () => {
    expect(directStatement(db(), sql`SELECT ${{ a: 1 }}`)).toBeNull();
    expect(directStatement(db(), sql`SELECT ${Number.MAX_SAFE_INTEGER + 1}`)).toBeNull();
    expect(directStatement(db(), sql`SELECT ${new Date(Number.NaN)}`)).toBeNull();
    expect(directStatement(db(), sql`SELECT ${Buffer.from("x")}`)).toBeNull();
  });

  it("count changed rows as $executeRaw does", async () => {
    const rename = (name: string) => sql`UPDATE "User" SET "name" = ${name} WHERE "id" = ${userId} OR "id" = ${"nobody"}`;
    expect(await execute(db(), rename("Direct"))).toBe(await db().$executeRaw(rename("Direct again")));
    expect(await execute(db(), sql`DELETE FROM "User" WHERE "id" = ${"nobody"}`)).toBe(0);
  });

  it("fail as the ORM fails: a duplicate is P2002, a broken statement P2010", async () => {
    const duplicate = () => sql`INSERT INTO "ThrottleCounter" ("key", "count", "blockedUntil", "expiresAt") VALUES (${"direct"}, ${1}, ${0}, ${1})`;
    const viaOrm = await execute({ $queryRaw: db().$queryRaw.bind(db()), $executeRaw: db().$executeRaw.bind(db()) }, duplicate()).catch((error: unknown) => error);
    const direct = await execute(db(), duplicate()).catch((error: unknown) => error);
    expect(direct).toMatchObject({ code: "P2002", name: "PrismaClientKnownRequestError" });
    expect(viaOrm).toMatchObject({ code: "P2002", name: "PrismaClientKnownRequestError" });
    const broken = await selectRows(db(), sql`SELECT "nope" FROM "User" WHERE "id" = ${userId}`).catch((error: unknown) => error);
    expect(broken).toMatchObject({ code: "P2010", meta: { driverAdapterError: { name: "DriverAdapterError" } } });
  });

  it("write in the transaction: rolled back with it, and seen by its ORM calls", async () => {
    await expect(
      transact(async (tx) => {
        await execute(tx, sql`UPDATE "User" SET "name" = ${"Inside"} WHERE "id" = ${userId}`);
        expect((await tx.user.findUniqueOrThrow({ where: { id: userId } })).name).toBe("Inside");
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).name).not.toBe("Inside");
  });

  it("keep concurrent transactions apart", async () => {
    const names = ["First", "Second", "Third"];
    const seen = await Promise.all(
      names.map((name) =>
        transact(async (tx) => {
          await execute(tx, sql`UPDATE "User" SET "name" = ${name} WHERE "id" = ${userId}`);
          const [row] = await selectRows<{ name: string }>(tx, sql`SELECT "name" FROM "User" WHERE "id" = ${userId}`);
          return row.name;
        }),
      ),
    );
    expect(seen).toEqual(names);
  });

  it("never run in a transaction that has ended: the ORM says why", async () => {
    let ended: Tx | undefined;
    await transact(async (tx) => {
      ended = tx;
    });
    expect(directStatement(ended!, sql`SELECT ${1}`)).toBeNull();
    await expect(selectRows(ended!, sql`SELECT "id" FROM "User" WHERE "id" = ${userId}`)).rejects.toMatchObject({ code: "P2028" });
  });
});

describe("writes together (writeTogether)", () => {
  const counter = (key: string, count: number) => sql`INSERT INTO "ThrottleCounter" ("key", "count", "blockedUntil", "expiresAt") VALUES (${key}, ${count}, ${0}, ${1})`;
  const countOf = async (key: string) => (await db().throttleCounter.findUnique({ where: { key } }))?.count ?? null;

  it("run every write, skip the missing ones, and give each write's rows under its key", async () => {
    const rows = await transact((tx) =>
      writeTogether(tx, {
        first: { statement: counter("together-1", 1) },
        second: { statement: counter("together-2", 2), returning: sql`"key", "count"` },
        none: undefined,
        bump: { statement: sql`UPDATE "ThrottleCounter" SET "count" = "count" + 1 WHERE "key" = ${"direct"} OR "key" = ${"nobody"}` },
        missing: { statement: sql`DELETE FROM "ThrottleCounter" WHERE "key" = ${"nobody"}` },
      }),
    );
    expect(Object.keys(rows).sort()).toEqual(["bump", "first", "missing", "second"]);
    expect(rows.first).toHaveLength(1);
    expect(rows.second.map((row) => ({ key: row.key, count: Number(row.count) }))).toEqual([{ key: "together-2", count: 2 }]);
    expect(rows.bump).toHaveLength(1);
    expect(rows.missing).toEqual([]);
    expect([await countOf("together-1"), await countOf("together-2")]).toEqual([1, 2]);
  });

  it("take one statement on PostgreSQL and one per write on SQLite", async () => {
    await transact(async (tx) => {
      const { queryable } = directStatement(tx, sql`SELECT ${1}`)!;
      const queries = vi.spyOn(queryable, "queryRaw");
      await writeTogether(tx, { a: { statement: counter("together-3", 3) }, b: { statement: counter("together-4", 4) }, c: { statement: counter("together-5", 5) } });
      expect(queries).toHaveBeenCalledTimes(queryable.provider === "postgres" ? 1 : 3);
      queries.mockRestore();
    });
    expect(await countOf("together-5")).toBe(5);
  });

  it("fail as a whole: a duplicate is P2002, and the transaction keeps none of the writes", async () => {
    const failure = await transact((tx) => writeTogether(tx, { fresh: { statement: counter("together-6", 6) }, duplicate: { statement: counter("direct", 1) } })).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: "P2002", name: "PrismaClientKnownRequestError" });
    expect(await countOf("together-6")).toBeNull();
  });
});
