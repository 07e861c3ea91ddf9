import type { UserActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { transact } from "@/lib/transaction";

/**
 * Server-side sessions. The session cookie is a signed JWT that the server cannot take back,
 * so it carries the id of a UserSession row and every request checks that row. A row per
 * session (rather than one version number per user) lets signing out end just this browser,
 * while deactivation and a password change end all of the user's sessions at once.
 */
export const SESSION_MAX_AGE_S = 60 * 60 * 12;

/** Opens a session inside the sign-in's transaction; expired rows of the user are tidied away. */
export async function startSession(tx: Tx, userId: string, now = new Date()): Promise<string> {
  await tx.userSession.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  const session = await tx.userSession.create({
    data: { userId, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
    select: { id: true },
  });
  return session.id;
}

/** Ends every open session of a user, in the transaction of the change that requires it. */
export async function revokeAllSessions(tx: Tx, userId: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

/** Signing out: ends this one session and records it. Unknown or already ended ids are a no-op. */
export async function endSession(sessionId: string): Promise<void> {
  await transact(async (tx) => {
    const session = await tx.userSession.findUnique({ where: { id: sessionId }, include: { user: true } });
    if (!session || session.revokedAt) return;
    await tx.userSession.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    const { user } = session;
    await recordAudit(tx, {
      actor: { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null },
      action: "auth.signed_out",
      subjectType: "user",
      subjectId: user.id,
    });
  });
}

/** The user of a live session as they are now, or null when the session ended or never existed. */
export async function sessionActor(sessionId: string, userId: string): Promise<UserActor | null> {
  const session = await db().userSession.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= new Date()) return null;
  const { user } = session;
  if (user.deactivatedAt) return null;
  return { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
}
