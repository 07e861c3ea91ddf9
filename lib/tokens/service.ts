import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor, UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { transact } from "@/lib/transaction";

/**
 * Personal API tokens. The secret is shown once; only its SHA-256 is stored (a token is a
 * high-entropy random string, so a slow hash adds nothing and would slow every request).
 */
const TOKEN_PREFIX = "cs_";

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "name the token, e.g. 'CI'").max(80).default("API token"),
});

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

async function issueToken(actor: Actor, user: { id: string }, name: string) {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return transact(async (tx) => {
    const token = await tx.apiToken.create({
      data: { userId: user.id, name, tokenHash: hashToken(secret), prefix: secret.slice(0, 10) },
      select: { id: true, name: true, prefix: true, createdAt: true },
    });
    await recordAudit(tx, {
      actor,
      action: "token.created",
      subjectType: "api_token",
      subjectId: token.id,
      after: { name: token.name, prefix: token.prefix, userId: user.id },
    });
    return { ...token, secret };
  });
}

export async function createToken(actor: UserActor, input: unknown) {
  await assertCan(actor, "tokens:manageOwn");
  const { name } = createTokenSchema.parse(input);
  return issueToken(actor, { id: actor.userId }, name);
}

/** For operators (the CLI): issues a token for any existing user. */
export async function createTokenForEmail(actor: Actor, email: string, name = "CLI token") {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw notFound(`A user with the email ${email}`);
  return issueToken(actor, user, createTokenSchema.parse({ name }).name);
}

export async function listTokens(actor: UserActor) {
  await assertCan(actor, "tokens:manageOwn");
  return db().apiToken.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
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

export async function actorFromToken(secret: string): Promise<UserActor | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const token = await db().apiToken.findUnique({ where: { tokenHash: hashToken(secret) }, include: { user: true } });
  if (!token || token.revokedAt) return null;
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }
  const { user } = token;
  return { type: "token", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: token.id };
}
