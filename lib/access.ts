import type { UserActor } from "@/lib/actors";
import { assertRoles, can, type Grant, type Permission, type Role, type Scope } from "@/lib/authz";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";

/**
 * Collects the roles an actor holds in a scope, for the permission table in lib/authz.ts.
 * Admins are project members everywhere; stage roles need the stage named in the scope.
 * A scope naming a project that does not exist is a 404, whoever asks.
 */
export async function rolesFor(actor: UserActor, scope: Scope): Promise<Set<Role>> {
  const roles = new Set<Role>([actor.role]);
  if (!scope.projectId) return roles;
  const [project, membership, stage] = await Promise.all([
    db().project.findUnique({ where: { id: scope.projectId }, select: { id: true } }),
    db().projectMember.findUnique({
      where: { projectId_userId: { projectId: scope.projectId, userId: actor.userId } },
      select: { userId: true },
    }),
    scope.stage
      ? db().stage.findUnique({
          where: { projectId_key: { projectId: scope.projectId, key: scope.stage } },
          select: { ownerId: true, reviewers: { where: { userId: actor.userId }, select: { userId: true } } },
        })
      : null,
  ]);
  if (!project) throw notFound("The project");
  if (membership || actor.role === "admin") roles.add("project_member");
  if (stage?.ownerId === actor.userId) roles.add("stage_owner");
  if (stage && stage.reviewers.length > 0) roles.add("stage_reviewer");
  return roles;
}

export async function canDo(actor: UserActor, permission: Permission, scope: Scope = {}): Promise<boolean> {
  return can(await rolesFor(actor, scope), permission);
}

/** Throws a 403 AppError naming what is missing. */
export async function assertCan(actor: UserActor, permission: Permission, scope: Scope = {}): Promise<void> {
  assertRoles(await rolesFor(actor, scope), permission);
}

/** Every permission a grant names, in its scope; throws on the first one missing. */
export async function assertGranted(actor: UserActor, grant: Grant): Promise<void> {
  for (const permission of grant.permissions) await assertCan(actor, permission, grant.scope);
}
