import type { UserActor } from "@/lib/actors";
import { rolesFromFacts, type GrantWithRoles } from "@/lib/access";
import type { Grant, Permission } from "@/lib/authz";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { reviewItemScope } from "@/lib/review/decision-store";
import { isStageKey } from "@/lib/stages/stages";

/**
 * What each API mutation requires, declared beside its contract in lib/api/schemas.ts and
 * checked by lib/api/handler.ts before the service runs: the permission (or permissions) and the
 * part of the product it is checked against. Services check again; this is the part a reader
 * can verify in one table, and that tests/api/authorization.test.ts proves for every mutation.
 * Deciding and claiming a review item, the busiest mutations, are checked only where they are
 * made, in the service's transaction (inReviewTransaction).
 */
export type AuthorizeInput = { params: unknown; body: unknown; actor?: UserActor };
export type Authorize = (input: AuthorizeInput) => GrantWithRoles | Promise<GrantWithRoles>;

const field = (value: unknown, name: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined);
const text = (value: unknown, name: string): string | undefined => {
  const found = field(value, name);
  return typeof found === "string" ? found : undefined;
};

/** A permission that needs no project, e.g. creating one or managing policies. */
export const anywhere =
  (permission: Permission): Authorize =>
  () => ({ permissions: [permission], scope: {} });

/** A permission in the project named by the path's `id`. */
export const inProject =
  (permission: Permission): Authorize =>
  ({ params }) => ({ permissions: [permission], scope: { projectId: text(params, "id") } });

/** A permission in the stage named by the path's `id` and `key`. */
export const inStage =
  (permission: Permission): Authorize =>
  ({ params }) => {
    const key = text(params, "key");
    return { permissions: [permission], scope: { projectId: text(params, "id"), stage: key && isStageKey(key) ? key : undefined } };
  };

/** Starting a run: the stage comes from the body. */
export const startRunGrant: Authorize = ({ params, body }) => {
  const stage = text(body, "stage");
  return { permissions: ["runs:start"], scope: { projectId: text(params, "id"), stage: stage && isStageKey(stage) ? stage : undefined } };
};

/** Assigning a stage: naming the owner and naming reviewers are different permissions. */
export const assignStageGrant: Authorize = (input) => {
  const { scope } = inStage("stages:assignReviewers")(input) as Grant;
  const permissions: Permission[] = [];
  if (field(input.body, "ownerEmail") !== undefined) permissions.push("stages:assignOwner");
  if (field(input.body, "reviewerEmails") !== undefined) permissions.push("stages:assignReviewers");
  // The SLA's time is the owner's to set (as reviewers are); its fallback owner an admin's (as the owner is): see assignmentPermissions.
  if ((field(input.body, "slaMinutes") !== undefined || field(input.body, "slaBusinessHours") !== undefined) && !permissions.includes("stages:assignReviewers")) permissions.push("stages:assignReviewers");
  if (field(input.body, "fallbackOwnerEmail") !== undefined && !permissions.includes("stages:assignOwner")) permissions.push("stages:assignOwner");
  return { permissions, scope };
};

/** A permission on an artifact named by the path's `id`: checked in the project and stage that hold it. */
export const onArtifact =
  (permission: Permission): Authorize =>
  async ({ params }) => {
    const artifact = await db().artifact.findUnique({ where: { id: text(params, "id") ?? "" }, select: { projectId: true, stage: { select: { key: true } } } });
    if (!artifact) throw notFound("The artifact");
    return { permissions: [permission], scope: { projectId: artifact.projectId, stage: artifact.stage.key } };
  };

/** A permission on a run named by the path's `id`: checked in the project and stage it belongs to. */
export const onRun =
  (permission: Permission): Authorize =>
  async ({ params }) => {
    const run = await db().run.findUnique({ where: { id: text(params, "id") ?? "" }, select: { projectId: true, stage: { select: { key: true } } } });
    if (!run) throw notFound("The run");
    return { permissions: [permission], scope: { projectId: run.projectId, stage: run.stage.key } };
  };

/** A permission on the review item the path names, in the stage it belongs to, read with the caller's roles there. */
export const onReviewItem =
  (permission: Permission): Authorize =>
  async ({ params, actor }) => {
    const item = await reviewItemScope(db(), text(params, "id") ?? "", actor?.userId);
    if (!item) throw notFound("The review item");
    const grant: GrantWithRoles = { permissions: [permission], scope: { projectId: item.projectId, stage: item.stage } };
    return actor && item.facts ? { ...grant, rolesRead: { userId: actor.userId, roles: rolesFromFacts(actor, item.facts) } } : grant;
  };

/**
 * Deciding or claiming a review item: the service checks the permission in the transaction that
 * decides or claims it (lib/review/service.ts decideReviewItem, lib/review/claims.ts), where it
 * reads the item, its stage and the caller's roles there in one statement anyway.
 */
export const inReviewTransaction =
  (permission: Permission): Authorize =>
  () => ({ permissions: [permission], scope: {}, checkedInTransaction: true });
