import type { UserActor } from "@/lib/actors";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { assertCan, canDo } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { forbidden, invalid, notFound } from "@/lib/errors";
import { notify } from "@/lib/notifications/notify";
import { empty, selectRow, sql } from "@/lib/sql/statements";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { createDelegationSchema, delegationState, type CreateDelegationInput } from "./schema";

/**
 * Delegations: a stage owner or reviewer hands their stage roles to a named person for a time
 * window (out of office). While it is live, lib/access.ts gives the delegate the delegator's
 * roles in its scope; the delegate's decisions record whom they acted for (onBehalfOf below).
 * Nothing is copied: revoking it, or its end, takes the roles away at once.
 */
const person = { select: { id: true, email: true, name: true } } as const;
const delegationView = {
  fromUser: person,
  toUser: person,
} as const;

type DelegationRow = NonNullable<Awaited<ReturnType<typeof loadDelegation>>>;

function loadDelegation(client: Tx | ReturnType<typeof db>, id: string) {
  return client.delegation.findUnique({ where: { id }, include: delegationView });
}

async function stageKeysById(ids: string[]) {
  if (ids.length === 0) return new Map<string, StageKey>();
  const stages = await db().stage.findMany({ where: { id: { in: ids } }, select: { id: true, key: true } });
  return new Map(stages.map((stage) => [stage.id, stage.key]));
}

function present(row: DelegationRow, stageKey: StageKey | null, now: Date) {
  return {
    id: row.id,
    from: row.fromUser,
    to: row.toUser,
    projectId: row.projectId,
    stageKey,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    state: delegationState(row, now),
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
export type DelegationView = ReturnType<typeof present>;

async function presentAll(rows: DelegationRow[], now: Date): Promise<DelegationView[]> {
  const keys = await stageKeysById([...new Set(rows.flatMap((row) => (row.stageId ? [row.stageId] : [])))]);
  return rows.map((row) => present(row, row.stageId ? (keys.get(row.stageId) ?? null) : null, now));
}

/** The caller's delegations, given and held, newest first; an admin sees everyone's. */
export async function listDelegations(actor: UserActor, now = new Date()): Promise<DelegationView[]> {
  await assertCan(actor, "delegations:manageOwn");
  const everyone = await canDo(actor, "users:manage");
  const rows = await db().delegation.findMany({
    where: everyone ? {} : { OR: [{ fromUserId: actor.userId }, { toUserId: actor.userId }] },
    include: delegationView,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return presentAll(rows, now);
}

/** Whether the user owns or reviews a stage in the scope (every stage, a project's, or one stage). */
async function holdsStageRole(userId: string, scope: { projectId?: string; stageId?: string }): Promise<boolean> {
  const row = await selectRow<{ found: unknown }>(
    db(),
    sql`SELECT 1 AS "found" FROM "Stage" s
      WHERE (s."ownerId" = ${userId} OR EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" = ${userId}))
        ${scope.projectId ? sql`AND s."projectId" = ${scope.projectId}` : empty}
        ${scope.stageId ? sql`AND s."id" = ${scope.stageId}` : empty}
      LIMIT 1`,
  );
  return row !== null;
}

/** The stages whose roles the caller holds themselves, by project: what the settings form offers to delegate. */
export async function delegableStages(actor: UserActor) {
  await assertCan(actor, "delegations:manageOwn");
  const stages = await db().stage.findMany({
    where: { OR: [{ ownerId: actor.userId }, { reviewers: { some: { userId: actor.userId } } }] },
    select: { key: true, ownerId: true, project: { select: { id: true, name: true } } },
    orderBy: [{ project: { name: "asc" } }, { position: "asc" }],
  });
  const projects = new Map<string, { id: string; name: string; stages: { key: StageKey; role: "owner" | "reviewer" }[] }>();
  for (const stage of stages) {
    const project = projects.get(stage.project.id) ?? { ...stage.project, stages: [] };
    project.stages.push({ key: stage.key, role: stage.ownerId === actor.userId ? "owner" : "reviewer" });
    projects.set(project.id, project);
  }
  return [...projects.values()];
}

/** Hands the caller's stage roles in the scope to someone else for a window; only roles the caller holds. */
export async function createDelegation(actor: UserActor, input: CreateDelegationInput, now = new Date()): Promise<DelegationView> {
  const data = createDelegationSchema.parse(input);
  await assertCan(actor, "delegations:manageOwn");
  const startsAt = new Date(data.startsAt);
  const endsAt = new Date(data.endsAt);
  if (endsAt.getTime() <= now.getTime()) throw invalid("The delegation would already be over: choose an end in the future.", [{ path: "endsAt", message: "must be in the future" }]);
  const to = await db().user.findUnique({ where: { email: data.toEmail }, select: { id: true, name: true, deactivatedAt: true } });
  if (!to || to.deactivatedAt) throw invalid(`No active user has the email ${data.toEmail}.`, [{ path: "toEmail", message: "no active user" }]);
  if (to.id === actor.userId) throw invalid("You cannot delegate to yourself.", [{ path: "toEmail", message: "name someone else" }]);
  let stageId: string | undefined;
  if (data.projectId) {
    const project = await db().project.findUnique({ where: { id: data.projectId }, select: { id: true } });
    if (!project) throw notFound("The project");
    if (data.stageKey) {
      const stage = await db().stage.findUnique({ where: { projectId_key: { projectId: data.projectId, key: data.stageKey } }, select: { id: true } });
      if (!stage) throw notFound(`The ${data.stageKey} stage of this project`);
      stageId = stage.id;
    }
  }
  if (!(await holdsStageRole(actor.userId, { projectId: data.projectId, stageId }))) {
    throw forbidden(
      data.stageKey
        ? `You neither own nor review the ${stageLabels[data.stageKey]} stage of this project, so you have no role there to delegate.`
        : "You own or review no stage in that scope, so you have no role to delegate.",
    );
  }
  const created = await transact(async (tx) => {
    const row = await tx.delegation.create({
      data: { fromUserId: actor.userId, toUserId: to.id, projectId: data.projectId ?? null, stageId: stageId ?? null, startsAt, endsAt, reason: data.reason || null },
      include: delegationView,
    });
    const scope = { projectId: row.projectId, stageKey: data.stageKey ?? null, startsAt: data.startsAt, endsAt: data.endsAt };
    await recordAudit(tx, {
      actor,
      action: "delegation.created",
      subjectType: "delegation",
      subjectId: row.id,
      projectId: row.projectId,
      after: { from: actor.email, to: data.toEmail, ...scope },
      reason: data.reason || null,
    });
    await notify(tx, {
      userIds: [to.id],
      projectId: row.projectId,
      kind: "delegation",
      message: `${actor.name} delegated their ${data.stageKey ? `${stageLabels[data.stageKey]} stage` : "stage"} roles to you from ${startsAt.toISOString().slice(0, 16).replace("T", " ")} to ${endsAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      link: "/settings",
    });
    return row;
  });
  return present(created, data.stageKey ?? null, now);
}

/** Ends a delegation now: its delegator, its delegate (handing the role back) or an admin may. */
export async function revokeDelegation(actor: UserActor, id: string, now = new Date()): Promise<DelegationView> {
  await assertCan(actor, "delegations:manageOwn");
  const existing = await loadDelegation(db(), id);
  const party = existing && (existing.fromUserId === actor.userId || existing.toUserId === actor.userId);
  if (!existing || (!party && !(await canDo(actor, "users:manage")))) throw notFound("The delegation");
  if (existing.revokedAt) throw invalid("The delegation was already revoked.");
  const revoked = await transact(async (tx) => {
    const row = await tx.delegation.update({ where: { id }, data: { revokedAt: now }, include: delegationView });
    await recordAudit(tx, {
      actor,
      action: "delegation.revoked",
      subjectType: "delegation",
      subjectId: id,
      projectId: row.projectId,
      before: { from: row.fromUser.email, to: row.toUser.email, state: delegationState(existing, now) },
      after: { from: row.fromUser.email, to: row.toUser.email, state: "revoked" },
    });
    return row;
  });
  const [view] = await presentAll([revoked], now);
  return view;
}
