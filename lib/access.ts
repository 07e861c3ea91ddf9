import type { UserActor } from "@/lib/actors";
import { assertRoles, can, type Grant, type Permission, type Role, type Scope } from "@/lib/authz";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { empty, flag, planNeutral, selectRow, sql, type Sql } from "@/lib/sql/statements";

/** What decides an actor's roles in a project and stage, read in one statement (see roleFacts). */
export type RoleFacts = { isMember: boolean; isOwner: boolean; isReviewer: boolean };

/** The roles those facts give: admins are project members everywhere; stage roles need the stage. */
export function rolesFromFacts(actor: UserActor, facts: RoleFacts): Set<Role> {
  const roles = new Set<Role>([actor.role]);
  if (facts.isMember || actor.role === "admin") roles.add("project_member");
  if (facts.isOwner) roles.add("stage_owner");
  if (facts.isReviewer) roles.add("stage_reviewer");
  return roles;
}

/**
 * The select-list part that reads RoleFacts for the user, given the project's id column and a
 * joined "Stage" row (null columns when no stage is named): for queries that read something
 * else in the same statement.
 */
export function roleFactColumns(userId: string, projectIdColumn = sql`p."id"`) {
  const holders = actingFor(userId, projectIdColumn, sql`s."id"`);
  return sql`
    CASE WHEN EXISTS (SELECT 1 FROM "ProjectMember" pm WHERE pm."projectId" = ${projectIdColumn} AND pm."userId" IN (${actingFor(userId, projectIdColumn, null)})) THEN 1 ELSE 0 END AS "isMember",
    CASE WHEN s."ownerId" IN (${holders}) THEN 1 ELSE 0 END AS "isOwner",
    CASE WHEN EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" IN (${holders})) THEN 1 ELSE 0 END AS "isReviewer"`;
}

/**
 * The people whose roles the user holds now: themselves, and whoever delegated to them
 * (lib/delegations) for a window that is open, unrevoked, and covers the project (and the
 * stage, when one is given; a delegation for one stage still makes its delegate a project member).
 * For `IN (...)` only: it may name a person twice, which IN does not count; UNION would drop
 * the repeats by building a temporary b-tree for every row it is asked for (each stage of a
 * queue page, every permission check).
 */
export function actingFor(userId: string, projectIdColumn: Sql, stageIdColumn: Sql | null) {
  const now = new Date();
  const stage = stageIdColumn ? sql` AND (dg."stageId" IS NULL OR dg."stageId" = ${stageIdColumn})` : empty;
  return sql`SELECT ${userId} UNION ALL SELECT dg."fromUserId" FROM "Delegation" dg
    WHERE dg."toUserId" = ${userId} AND dg."revokedAt" IS NULL AND dg."startsAt" <= ${now} AND dg."endsAt" > ${now}
      AND (dg."projectId" IS NULL OR dg."projectId" = ${projectIdColumn})${stage}`;
}

export type RoleFactsRow = { isMember: unknown; isOwner: unknown; isReviewer: unknown };

export function readRoleFacts(row: RoleFactsRow): RoleFacts {
  return { isMember: flag(row.isMember), isOwner: flag(row.isOwner), isReviewer: flag(row.isReviewer) };
}

/**
 * Collects the roles an actor holds in a scope, for the permission table in lib/authz.ts, in
 * one statement (every request asks this, some twice). A scope naming a project that does not
 * exist is a 404, whoever asks. The project's id goes through planNeutral, so SQLite compiles
 * the statement once rather than on every call.
 */
export async function rolesFor(actor: UserActor, scope: Scope): Promise<Set<Role>> {
  if (!scope.projectId) return new Set<Role>([actor.role]);
  const row = await selectRow<RoleFactsRow>(
    db(),
    sql`SELECT ${roleFactColumns(actor.userId)}
      FROM "Project" p
      LEFT JOIN "Stage" s ON s."projectId" = p."id" AND s."key" = ${scope.stage ?? null}
      WHERE p."id" = ${planNeutral(scope.projectId)}`,
  );
  if (!row) throw notFound("The project");
  return rolesFromFacts(actor, readRoleFacts(row));
}

export async function canDo(actor: UserActor, permission: Permission, scope: Scope = {}): Promise<boolean> {
  return can(await rolesFor(actor, scope), permission);
}

/** Throws a 403 AppError naming what is missing. */
export async function assertCan(actor: UserActor, permission: Permission, scope: Scope = {}): Promise<void> {
  assertRoles(await rolesFor(actor, scope), permission);
}

/**
 * A grant whose scope was read together with the roles a user holds in it (one statement instead
 * of two, on the API's commonest mutations): in the same request, never kept beyond it.
 */
export type GrantWithRoles = Grant & {
  rolesRead?: { userId: string; roles: Set<Role> };
  /**
   * The service checks these permissions itself, inside the transaction that makes the change,
   * on roles it reads in the same statement as what it changes (deciding and claiming a review
   * item). Checking before as well would read the same roles twice, on the busiest mutations,
   * and could only be staler than the check that counts.
   */
  checkedInTransaction?: true;
};

/** Every permission a grant names, in its scope (one lookup of the roles); throws on the first one missing. */
export async function assertGranted(actor: UserActor, grant: GrantWithRoles): Promise<void> {
  if (grant.permissions.length === 0 || grant.checkedInTransaction) return;
  const roles = grant.rolesRead?.userId === actor.userId ? grant.rolesRead.roles : await rolesFor(actor, grant.scope);
  for (const permission of grant.permissions) assertRoles(roles, permission);
}
