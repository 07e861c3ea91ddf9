import type { z } from "zod";
import { systemActor, type Actor, type UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import type { Scope } from "@/lib/authz";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict, forbidden, invalid, notFound, tooManyRequests } from "@/lib/errors";
import { countHit } from "@/lib/throttle/counter";
import { openSignInGate } from "@/lib/throttle/sign-in";
import { transact } from "@/lib/transaction";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { changeOwnPasswordSchema, createUserSchema, credentialsSchema, resetPasswordSchema, type CreateUserInput } from "./schema";
import { revokeAllSessions, startSession } from "./sessions";

const publicUser = { id: true, email: true, name: true, role: true, createdAt: true, deactivatedAt: true } as const;

/** Creates a user without a permission check: for the demo seed and tests, never for requests. */
export async function insertUser(actor: Actor, input: CreateUserInput) {
  const data = createUserSchema.parse(input);
  const passwordHash = await hashPassword(data.password);
  return transact(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw conflict(`A user with the email ${data.email} already exists.`);
    }
    const user = await tx.user.create({
      data: { email: data.email, name: data.name, role: data.role, passwordHash },
      select: publicUser,
    });
    await recordAudit(tx, {
      actor,
      action: "user.created",
      subjectType: "user",
      subjectId: user.id,
      after: { email: user.email, name: user.name, role: user.role },
    });
    return user;
  });
}

export async function createUser(actor: UserActor, input: CreateUserInput) {
  await assertCan(actor, "users:manage");
  return insertUser(actor, input);
}

export async function listUsers(actor: UserActor) {
  await assertCan(actor, "users:manage");
  return db().user.findMany({ select: publicUser, orderBy: { createdAt: "asc" } });
}

/** Everyone who can be named as a stage owner or reviewer, for those who may name them. */
export async function listAssignableUsers(actor: UserActor, scope: Scope) {
  await assertCan(actor, "stages:assignReviewers", scope);
  return db().user.findMany({ where: { deactivatedAt: null }, select: { id: true, email: true, name: true }, orderBy: { name: "asc" } });
}

export type SignInResult =
  | { ok: true; actor: UserActor; sessionId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

/** Where a sign-in attempt comes from (lib/throttle/client-address.ts). */
export type SignInClient = { address: string };

/**
 * Checks email and password from one client address. Throttled per address and per address +
 * email before the password is checked (lib/throttle/sign-in.ts); an unknown email is checked
 * against a dummy hash so it takes as long as a wrong password. Every checked attempt lands in
 * the audit trail, and a successful one opens a server-side session.
 */
export async function authenticate(credentials: unknown, client: SignInClient): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  // Made before the first lookup, so even the first attempt after start-up times the same.
  const dummyHash = await dummyPasswordHash();

  const gate = await openSignInGate(client.address, email);
  if (!gate.ok) return { ok: false, reason: "throttled", retryAfterMs: gate.retryAfterMs };

  const user = await db().user.findUnique({ where: { email } });
  const passwordMatches = await verifyPassword(user?.passwordHash ?? dummyHash, password);
  if (!user || !passwordMatches || user.deactivatedAt) {
    await gate.failed();
    await transact((tx) =>
      recordAudit(tx, {
        actor: systemActor("sign-in"),
        action: "auth.sign_in_failed",
        subjectType: "email",
        subjectId: email,
        after: { address: client.address },
        reason: !user ? "no user has this email" : !passwordMatches ? "wrong password" : "the account is deactivated",
      }),
    );
    return { ok: false, reason: "invalid" };
  }
  await gate.succeeded();
  const actor: UserActor = { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
  const sessionId = await transact(async (tx) => {
    const id = await startSession(tx, user.id);
    await recordAudit(tx, { actor, action: "auth.signed_in", subjectType: "user", subjectId: user.id, after: { address: client.address } });
    return id;
  });
  return { ok: true, actor, sessionId };
}

/**
 * Deactivates an account: its sessions end at once, sign-in and its API tokens are refused.
 * Admins cannot deactivate themselves, so an install cannot lose its last admin by accident.
 */
export async function deactivateUser(actor: UserActor, userId: string) {
  await assertCan(actor, "users:manage");
  if (userId === actor.userId) throw conflict("You cannot deactivate your own account.");
  return transact(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, deactivatedAt: true } });
    if (!user) throw notFound("The user");
    if (user.deactivatedAt) return { id: user.id, deactivatedAt: user.deactivatedAt };
    const deactivatedAt = new Date();
    await tx.user.update({ where: { id: user.id }, data: { deactivatedAt } });
    const sessionsEnded = await revokeAllSessions(tx, user.id);
    await recordAudit(tx, {
      actor,
      action: "user.deactivated",
      subjectType: "user",
      subjectId: user.id,
      before: { deactivatedAt: null },
      after: { deactivatedAt, sessionsEnded },
    });
    return { id: user.id, deactivatedAt };
  });
}

/** An admin sets someone's password (e.g. after a reset request); their sessions end. */
export async function resetPassword(actor: UserActor, userId: string, input: z.input<typeof resetPasswordSchema>): Promise<void> {
  await assertCan(actor, "users:manage");
  const { password } = resetPasswordSchema.parse(input);
  await storePassword(actor, userId, password, "user.password_reset");
}

const PASSWORD_CHANGE_LIMIT = { max: 5, windowMs: 15 * 60_000 };

/**
 * A user changes their own password, proving they know the current one. Every session of theirs
 * ends, this one included: whoever else had the old password must not stay signed in.
 */
export async function changeOwnPassword(actor: UserActor, input: z.input<typeof changeOwnPasswordSchema>): Promise<void> {
  if (actor.type !== "user") throw forbidden("Change your password while signed in, not with an API token.");
  const { currentPassword, newPassword } = changeOwnPasswordSchema.parse(input);
  // Otherwise whoever holds a session could guess the current password without limit.
  if ((await countHit(`password-change:${actor.userId}`, PASSWORD_CHANGE_LIMIT.windowMs)) > PASSWORD_CHANGE_LIMIT.max) {
    throw tooManyRequests("Too many password changes in a short time. Wait a few minutes and try again.");
  }
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw invalid("The current password is not right.", [{ path: "currentPassword", message: "not your current password" }]);
  }
  await storePassword(actor, actor.userId, newPassword, "user.password_changed");
}

async function storePassword(actor: UserActor, userId: string, password: string, action: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await transact(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw notFound("The user");
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const sessionsEnded = await revokeAllSessions(tx, user.id);
    // Never the hash itself: the trail is readable by admins and exported.
    await recordAudit(tx, { actor, action, subjectType: "user", subjectId: user.id, after: { sessionsEnded } });
  });
}

/** The current state of a signed-in user (the session may be older than a role change). */
export async function userActorById(userId: string): Promise<UserActor | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: publicUser });
  if (!user || user.deactivatedAt) return null;
  return { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
}
