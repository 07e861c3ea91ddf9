import type { GlobalRole, StageKey } from "@/lib/generated/sqlite/enums";
import { forbidden } from "@/lib/errors";

/**
 * Who may do what: one table from permission to the roles that hold it. The server checks it
 * with assertCan() before every mutation and read; the UI asks can() to decide what to show.
 *
 * Global roles come from the user (admin, member); scoped roles come from the project and stage
 * being acted on (project_member, stage_owner, stage_reviewer).
 */
export type Role = GlobalRole | "project_member" | "stage_owner" | "stage_reviewer";

export const permissions = {
  "users:manage": ["admin"],
  "policies:manage": ["admin"],
  "projects:create": ["admin", "member"],
  "projects:read": ["admin", "project_member"],
  "sources:write": ["admin", "project_member"],
  "runs:start": ["admin", "stage_owner"],
  "stages:assignOwner": ["admin"],
  "stages:assignReviewers": ["admin", "stage_owner"],
  "stages:signOff": ["stage_owner"],
  "artifacts:revise": ["stage_owner"],
  "budgets:manage": ["admin"],
  "webhooks:manage": ["admin"],
  "insights:read": ["admin", "project_member"],
  "review:decide": ["stage_reviewer"],
  "review:adjudicate": ["stage_owner"],
  "review:work": ["stage_reviewer", "stage_owner"],
  "audit:read": ["admin", "project_member"],
  "audit:readAll": ["admin"],
  "tokens:manageOwn": ["admin", "member"],
  "delegations:manageOwn": ["admin", "member"],
  "notifications:readOwn": ["admin", "member"],
  "notifications:manageOwn": ["admin", "member"],
  "emails:read": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

/** What a refused user is told: the role they lack, in words. */
const refusal: Record<Permission, string> = {
  "users:manage": "Only admins can manage users.",
  "policies:manage": "Only admins can change step policies and models.",
  "projects:create": "You cannot create projects.",
  "projects:read": "You are not a member of this project.",
  "sources:write": "Only members of this project can add sources.",
  "runs:start": "Only the stage owner or an admin can start a run of this stage.",
  "stages:assignOwner": "Only admins can assign stage owners.",
  "stages:assignReviewers": "Only the stage owner or an admin can assign reviewers.",
  "stages:signOff": "Only the owner of this stage can sign it off.",
  "artifacts:revise": "Only the owner of the artifact's stage can revise approved work.",
  "budgets:manage": "Only admins can set budgets or approve spending over them.",
  "webhooks:manage": "Only admins can manage webhooks.",
  "insights:read": "You are not a member of this project.",
  "review:decide": "Only reviewers of this stage can decide its review items.",
  "review:adjudicate": "Only the owner of this stage can settle disagreements, reassign claims or reopen decided items.",
  "review:work": "Only reviewers and the owner of this stage can work on its review items.",
  "audit:read": "You are not a member of this project.",
  "audit:readAll": "Only admins can read the audit trail of every project.",
  "tokens:manageOwn": "You cannot manage API tokens.",
  "delegations:manageOwn": "You cannot delegate your roles.",
  "notifications:readOwn": "You cannot read notifications.",
  "notifications:manageOwn": "You cannot change notification preferences.",
  "emails:read": "Only admins can read outbound email.",
};

export function can(roles: ReadonlySet<Role> | readonly Role[], permission: Permission): boolean {
  const held = roles instanceof Set ? roles : new Set(roles);
  return permissions[permission].some((role) => held.has(role));
}

export function assertRoles(roles: ReadonlySet<Role> | readonly Role[], permission: Permission): void {
  if (!can(roles, permission)) throw forbidden(refusal[permission]);
}

/** The part of the product a permission is checked against. */
export type Scope = { projectId?: string; stage?: StageKey };

/**
 * What a mutation requires, declared where the mutation is (API endpoint table, server action)
 * and checked by the shared helper before the service runs.
 */
export type Grant = { permissions: Permission[]; scope: Scope };
