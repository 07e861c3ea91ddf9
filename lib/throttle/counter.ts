import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { fixedWindow } from "./rules";

/**
 * Throttle counters in the database, so every app instance sees the same counts. Each change
 * is one SQL statement (an upsert or a conditional update with RETURNING): the database
 * serialises them per row, so parallel requests can neither skip a count nor both pass a check
 * that only one of them may pass. The SQL is the same on SQLite (3.35+) and PostgreSQL.
 */

/** Counts one hit on `key` in the current fixed window and returns the count including it. */
export async function countHit(key: string, windowMs: number, now = Date.now()): Promise<number> {
  purgeExpiredSometimes(now);
  const window = fixedWindow(now, windowMs);
  const rows = await db().$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO "ThrottleCounter" ("key", "count", "blockedUntil", "expiresAt")
    VALUES (${`${key}@${window.index}`}, 1, ${BigInt(0)}, ${BigInt(window.end)})
    ON CONFLICT ("key") DO UPDATE SET "count" = "ThrottleCounter"."count" + 1
    RETURNING "count"`;
  return Number(rows[0]?.count ?? 0);
}

/** Takes back a hit counted by countHit (e.g. a sign-in that succeeded). */
export async function uncountHit(key: string, windowMs: number, now = Date.now()): Promise<void> {
  const window = fixedWindow(now, windowMs);
  await db().$executeRaw`
    UPDATE "ThrottleCounter" SET "count" = "count" - 1 WHERE "key" = ${`${key}@${window.index}`} AND "count" > 0`;
}

export type Claim = { ok: true; count: number } | { ok: false; retryAfterMs: number };

/**
 * Claims `key` for one attempt: refused while it is blocked; otherwise counts the attempt and
 * blocks the key for `leaseMs` until the caller reports the outcome with block() or clear().
 * The lease is what makes a burst of parallel attempts get one check at a time; if the caller
 * dies, the lease simply runs out.
 */
export async function claim(key: string, leaseMs: number, memoryMs: number, now = Date.now()): Promise<Claim> {
  purgeExpiredSometimes(now);
  await db().$executeRaw`
    INSERT INTO "ThrottleCounter" ("key", "count", "blockedUntil", "expiresAt")
    VALUES (${key}, 0, ${BigInt(0)}, ${BigInt(now + memoryMs)})
    ON CONFLICT ("key") DO NOTHING`;
  const claimed = await db().$queryRaw<{ count: number | bigint }[]>`
    UPDATE "ThrottleCounter"
    SET "count" = "count" + 1, "blockedUntil" = ${BigInt(now + leaseMs)}, "expiresAt" = ${BigInt(now + memoryMs)}
    WHERE "key" = ${key} AND "blockedUntil" <= ${BigInt(now)}
    RETURNING "count"`;
  if (claimed[0]) return { ok: true, count: Number(claimed[0].count) };
  const blocked = await db().throttleCounter.findUnique({ where: { key }, select: { blockedUntil: true } });
  return { ok: false, retryAfterMs: Math.max(Number(blocked?.blockedUntil ?? 0) - now, 0) };
}

/** Ends a claim: the key stays blocked for `delayMs` (0 lets the next attempt through). */
export async function block(key: string, delayMs: number, now = Date.now()): Promise<void> {
  await db().throttleCounter.updateMany({ where: { key }, data: { blockedUntil: BigInt(now + delayMs) } });
}

/** Forgets `key` altogether (e.g. the right password was given). */
export async function clear(key: string): Promise<void> {
  await db().throttleCounter.deleteMany({ where: { key } });
}

const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

/** Expired rows carry nothing; delete them now and then rather than on every hit. */
function purgeExpiredSometimes(now: number): void {
  if (now - lastPurge < PURGE_EVERY_MS) return;
  lastPurge = now;
  db()
    .throttleCounter.deleteMany({ where: { expiresAt: { lt: BigInt(now) } } })
    .catch((error: unknown) => log().error({ err: error }, "could not purge expired throttle counters"));
}
