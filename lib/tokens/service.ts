import type { z } from "zod";
import { createHash, randomBytes } from "node:crypto";
import type { Actor, UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { conflict, isStorageFailure, notFound, tooManyRequests } from "@/lib/errors";
import type { GlobalRole } from "@/lib/generated/sqlite/enums";
import { execute, planNeutral, selectRow, sql } from "@/lib/sql/statements";
import { countHit } from "@/lib/throttle/counter";
import { transact } from "@/lib/transaction";
import { createTokenSchema } from "./schema";

/**
 * Personal API tokens. The secret is shown once; only its SHA-256 is stored (a token is a
 * high-entropy random string, so a slow hash adds nothing and would slow every request).
 */
const TOKEN_PREFIX = "cs_";

/** Active (neither revoked nor expired) tokens one user may hold: enough for every script, few enough to review. */
export const MAX_ACTIVE_TOKENS = 20;
/** Tokens one user may create per window, so a leaked session cannot mint them by the thousand. */
export const TOKEN_CREATION_LIMIT = { max: 10, windowMs: 10 * 60_000 };

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

const activeTokens = (userId: string, now: Date) => ({
  userId,
  revokedAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});

async function issueToken(actor: Actor, user: { id: string }, name: string, expiresInDays?: number) {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * 24 * 60 * 60_000) : null;
  return transact(async (tx) => {
    if (databaseProvider() === "postgresql") {
      // Two creations for one user take turns, so both cannot pass the limit check (SQLite transactions already do).
      await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${user.id} FOR UPDATE`;
    }
    const active = await tx.apiToken.count({ where: activeTokens(user.id, now) });
    if (active >= MAX_ACTIVE_TOKENS) {
      throw conflict(`You already have ${MAX_ACTIVE_TOKENS} active API tokens, the most allowed. Revoke one you no longer use, then create a new one.`);
    }
    const token = await tx.apiToken.create({
      data: { userId: user.id, name, tokenHash: hashToken(secret), prefix: secret.slice(0, 10), expiresAt },
      select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true },
    });
    await recordAudit(tx, {
      actor,
      action: "token.created",
      subjectType: "api_token",
      subjectId: token.id,
      after: { name: token.name, prefix: token.prefix, userId: user.id, expiresAt },
    });
    return { ...token, secret };
  });
}

export async function createToken(actor: UserActor, input: z.input<typeof createTokenSchema>) {
  await assertCan(actor, "tokens:manageOwn");
  const { name, expiresInDays } = createTokenSchema.parse(input);
  const created = await countHit(`tokens:create:${actor.userId}`, TOKEN_CREATION_LIMIT.windowMs);
  if (created > TOKEN_CREATION_LIMIT.max) {
    throw tooManyRequests(`You created ${TOKEN_CREATION_LIMIT.max} API tokens in the last few minutes. Wait a few minutes before creating another.`);
  }
  return issueToken(actor, { id: actor.userId }, name, expiresInDays);
}

/** For operators (the CLI): issues a token for any existing user. */
export async function createTokenForEmail(actor: Actor, email: string, name = "CLI token", expiresInDays?: number) {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw notFound(`A user with the email ${email}`);
  const input = createTokenSchema.parse({ name, expiresInDays });
  return issueToken(actor, user, input.name, input.expiresInDays);
}

export async function listTokens(actor: UserActor) {
  await assertCan(actor, "tokens:manageOwn");
  return db().apiToken.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeToken(actor: UserActor, tokenId: string) {
  await assertCan(actor, "tokens:manageOwn");
  return transact(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: tokenId, userId: actor.userId } });
    if (!token) throw notFound("The token");
    if (token.revokedAt) return;
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: "token.revoked",
      subjectType: "api_token",
      subjectId: token.id,
      before: { revokedAt: null },
      after: { revokedAt: new Date() },
    });
  });
}

const LAST_USED_RESOLUTION_MS = 60_000;

export type TokenCheck = { ok: true; actor: UserActor } | { ok: false; message: string };

type TokenRow = {
  id: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  userId: string;
  email: string;
  name: string;
  role: GlobalRole;
  deactivatedAt: Date | null;
};

/**
 * Resolves a bearer secret to the acting user, or says in words why it is refused. Every API
 * request asks this, so the token and its user are one plain statement, compiled once (the hash
 * through planNeutral: SQLite's planner reads a value compared with an index's column in a join).
 */
export async function checkToken(secret: string, now = new Date()): Promise<TokenCheck> {
  const unknown: TokenCheck = { ok: false, message: "The API token is unknown or revoked." };
  if (!secret.startsWith(TOKEN_PREFIX)) return unknown;
  const token = await selectRow<TokenRow>(
    db(),
    sql`SELECT t."id", t."lastUsedAt", t."revokedAt", t."expiresAt", u."id" AS "userId", u."email", u."name", u."role", u."deactivatedAt"
      FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
      WHERE t."tokenHash" = ${planNeutral(hashToken(secret))}`,
  );
  if (!token || token.revokedAt) return unknown;
  if (token.expiresAt && token.expiresAt <= now) {
    return { ok: false, message: `The API token expired at ${token.expiresAt.toISOString()}. Create a new one under Settings > API tokens.` };
  }
  if (token.deactivatedAt) return { ok: false, message: "The API token belongs to a deactivated account." };
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: a read-only or full disk must not turn every token read into a 503.
    await execute(db(), sql`UPDATE "ApiToken" SET "lastUsedAt" = ${now} WHERE "id" = ${token.id}`).catch((error: unknown) => {
      if (!isStorageFailure(error)) throw error;
    });
  }
  return { ok: true, actor: { type: "token", userId: token.userId, email: token.email, name: token.name, role: token.role, tokenId: token.id } };
}

export async function actorFromToken(secret: string): Promise<UserActor | null> {
  const checked = await checkToken(secret);
  return checked.ok ? checked.actor : null;
}
