import { systemActor, type Actor, type UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import type { Scope } from "@/lib/authz";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { conflict } from "@/lib/errors";
import { transact } from "@/lib/transaction";
import { hashPassword, verifyPassword } from "./password";
import { createUserSchema, credentialsSchema, type CreateUserInput } from "./schema";

const publicUser = { id: true, email: true, name: true, role: true, createdAt: true } as const;

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
  return db().user.findMany({ select: { id: true, email: true, name: true }, orderBy: { name: "asc" } });
}

/** Failed sign-ins for one email within this window lock it until they age out of the window. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILED_SIGN_INS = 10;

export type SignInResult = { ok: true; actor: UserActor } | { ok: false; reason: "invalid" | "throttled" };

/**
 * Checks email and password. Every attempt lands in the audit trail (who signed in, which
 * email was tried and failed), and that record is also what throttles guessing.
 */
export async function authenticate(credentials: unknown): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const failures = await db().auditEvent.count({
    where: { action: "auth.sign_in_failed", subjectType: "email", subjectId: email, at: { gt: new Date(Date.now() - SIGN_IN_WINDOW_MS) } },
  });
  if (failures >= MAX_FAILED_SIGN_INS) return { ok: false, reason: "throttled" };

  const user = await db().user.findUnique({ where: { email } });
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    await transact((tx) =>
      recordAudit(tx, {
        actor: systemActor("sign-in"),
        action: "auth.sign_in_failed",
        subjectType: "email",
        subjectId: email,
        reason: user ? "wrong password" : "no user has this email",
      }),
    );
    return { ok: false, reason: "invalid" };
  }
  const actor: UserActor = { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
  await transact((tx) => recordAudit(tx, { actor, action: "auth.signed_in", subjectType: "user", subjectId: user.id }));
  return { ok: true, actor };
}

/** The current state of a signed-in user (the session may be older than a role change). */
export async function userActorById(userId: string): Promise<UserActor | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: publicUser });
  if (!user) return null;
  return { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
}
