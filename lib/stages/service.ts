import type { z } from "zod";
import { createHash } from "node:crypto";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { assertRoles, can, type Role } from "@/lib/authz";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { conflict, forbidden, invalid, notFound } from "@/lib/errors";
import { emitEvent } from "@/lib/events/emit";
import { ensureMember } from "@/lib/projects/service";
import { transact } from "@/lib/transaction";
import { signOffBlocker, signOffFacts } from "./readiness";
import { assignmentPermissions, signOffSchema, updateStageSchema, type UpdateStageInput } from "./schema";
import { nextStageKey, stageKeys, stageLabels } from "./stages";

const person = { select: { id: true, email: true, name: true } } as const;

const stageView = {
  owner: person,
  fallbackOwner: person,
  reviewers: { select: { user: person }, orderBy: { createdAt: "asc" } },
  // The sign-off that stands: a reopened stage's earlier ones are kept, superseded, but no longer sign it off.
  signOffs: { where: { supersededAt: null }, orderBy: { createdAt: "desc" }, take: 1, include: { signedBy: person } },
} as const;

type StageRow = Awaited<ReturnType<typeof loadStage>>;

async function loadStage(client: Tx | ReturnType<typeof db>, projectId: string, key: StageKey) {
  const stage = await client.stage.findUnique({ where: { projectId_key: { projectId, key } }, include: stageView });
  if (!stage) throw notFound(`The ${key} stage of this project`);
  return stage;
}

function presentStage(stage: StageRow) {
  const signOff = stage.signOffs[0];
  return {
    key: stage.key,
    label: stageLabels[stage.key],
    status: stage.status,
    owner: stage.owner,
    reviewers: stage.reviewers.map((r) => r.user),
    sla: { minutes: stage.slaMinutes, businessHours: stage.slaBusinessHours, fallbackOwner: stage.fallbackOwner },
    signOff: signOff
      ? {
          id: signOff.id,
          by: signOff.signedBy,
          at: signOff.createdAt.toISOString(),
          comment: signOff.comment,
          coverageHash: signOff.coverageHash,
          artifactCount: (signOff.artifactVersions as unknown[]).length,
        }
      : null,
  };
}
export type StageSummary = ReturnType<typeof presentStage>;

export async function listStages(actor: UserActor, projectId: string): Promise<StageSummary[]> {
  await assertCan(actor, "projects:read", { projectId });
  const stages = await db().stage.findMany({ where: { projectId }, include: stageView, orderBy: { position: "asc" } });
  if (stages.length === 0) throw notFound("The project");
  return stages.map(presentStage);
}

async function usersByEmail(tx: Tx | ReturnType<typeof db>, emails: string[]) {
  const unique = [...new Set(emails)];
  const users = await tx.user.findMany({ where: { email: { in: unique } }, select: { id: true, email: true } });
  const missing = unique.filter((email) => !users.some((u) => u.email === email));
  if (missing.length > 0) throw invalid(`No user has the email ${missing.join(", ")}. An admin can create the account first.`);
  return users;
}

/** Admins name the owner; the owner or an admin names the reviewers. */
export async function updateStageAssignments(actor: UserActor, projectId: string, key: StageKey, input: UpdateStageInput) {
  const data = updateStageSchema.parse(input);
  await assertMayAssign(actor, projectId, [key], data);
  return transact((tx) => assignStage(tx, actor, projectId, key, data));
}

/**
 * The same owner and reviewers for every stage of a project at once (setting seven stages one by
 * one is tedious), in one transaction; each stage's change is audited as if assigned alone.
 */
export async function assignEveryStage(actor: UserActor, projectId: string, input: UpdateStageInput): Promise<StageSummary[]> {
  const data = updateStageSchema.parse(input);
  await assertMayAssign(actor, projectId, stageKeys, data);
  return transact(async (tx) => {
    const assigned: StageSummary[] = [];
    for (const key of stageKeys) assigned.push(await assignStage(tx, actor, projectId, key, data));
    return assigned;
  });
}

async function assertMayAssign(actor: UserActor, projectId: string, keys: readonly StageKey[], data: z.output<typeof updateStageSchema>) {
  for (const stage of keys) {
    for (const permission of assignmentPermissions(data)) await assertCan(actor, permission, { projectId, stage });
  }
}

async function assignStage(tx: Tx, actor: UserActor, projectId: string, key: StageKey, data: z.output<typeof updateStageSchema>) {
  const stage = await loadStage(tx, projectId, key);
  const before = presentStage(stage);
  if (data.ownerEmail !== undefined) {
    const [owner] = data.ownerEmail === null ? [null] : await usersByEmail(tx, [data.ownerEmail]);
    await tx.stage.update({ where: { id: stage.id }, data: { ownerId: owner?.id ?? null } });
    if (owner) await ensureMember(tx, projectId, owner.id);
  }
  if (data.reviewerEmails !== undefined) {
    const reviewers = await usersByEmail(tx, data.reviewerEmails);
    await tx.stageReviewer.deleteMany({ where: { stageId: stage.id } });
    for (const reviewer of reviewers) {
      await tx.stageReviewer.create({ data: { stageId: stage.id, userId: reviewer.id } });
      await ensureMember(tx, projectId, reviewer.id);
    }
  }
  await setStageSla(tx, actor, stage, data);
  const after = presentStage(await loadStage(tx, projectId, key));
  if (data.ownerEmail === undefined && data.reviewerEmails === undefined) return after;
  await recordAudit(tx, {
    actor,
    action: "stage.assigned",
    subjectType: "stage",
    subjectId: stage.id,
    projectId,
    before: { stage: key, owner: before.owner?.email ?? null, reviewers: before.reviewers.map((r) => r.email) },
    after: { stage: key, owner: after.owner?.email ?? null, reviewers: after.reviewers.map((r) => r.email) },
  });
  return after;
}

/**
 * A stage's SLA ladder settings, audited apart from the people. Pending items' cached due times
 * are cleared so the next sweep (lib/sla/service.ts) computes them under the new setting; the
 * rungs already climbed stay climbed.
 */
async function setStageSla(tx: Tx, actor: UserActor, stage: StageRow, data: z.output<typeof updateStageSchema>) {
  if (data.slaMinutes === undefined && data.slaBusinessHours === undefined && data.fallbackOwnerEmail === undefined) return;
  const [fallbackOwner] = data.fallbackOwnerEmail ? await usersByEmail(tx, [data.fallbackOwnerEmail]) : [null];
  const settings = {
    ...(data.slaMinutes !== undefined ? { slaMinutes: data.slaMinutes } : {}),
    ...(data.slaBusinessHours !== undefined ? { slaBusinessHours: data.slaBusinessHours } : {}),
    ...(data.fallbackOwnerEmail !== undefined ? { fallbackOwnerId: fallbackOwner?.id ?? null } : {}),
  };
  await tx.stage.update({ where: { id: stage.id }, data: settings });
  await tx.reviewItem.updateMany({ where: { stageId: stage.id, status: "pending" }, data: { dueAt: null } });
  const slaOf = (value: { slaMinutes: number | null; slaBusinessHours: boolean; fallbackOwnerEmail: string | null }) => ({ stage: stage.key, ...value });
  await recordAudit(tx, {
    actor,
    action: "stage.sla_changed",
    subjectType: "stage",
    subjectId: stage.id,
    projectId: stage.projectId,
    before: slaOf({ slaMinutes: stage.slaMinutes, slaBusinessHours: stage.slaBusinessHours, fallbackOwnerEmail: stage.fallbackOwner?.email ?? null }),
    after: slaOf({
      slaMinutes: data.slaMinutes !== undefined ? data.slaMinutes : stage.slaMinutes,
      slaBusinessHours: data.slaBusinessHours ?? stage.slaBusinessHours,
      fallbackOwnerEmail: data.fallbackOwnerEmail !== undefined ? (data.fallbackOwnerEmail ?? null) : (stage.fallbackOwner?.email ?? null),
    }),
  });
}

/**
 * Who the creator of a new project may name for all its stages, asked before the project exists:
 * the creator owns every stage of it (lib/projects/service.ts), so may name its reviewers, and an
 * admin may also name another owner. The same permission table decides.
 */
export async function newProjectPeople(actor: UserActor) {
  const roles: Role[] = [actor.role, "project_member", "stage_owner"];
  const mayAssignReviewers = can(roles, "stages:assignReviewers");
  return {
    mayAssignOwner: can(roles, "stages:assignOwner"),
    mayAssignReviewers,
    users: mayAssignReviewers ? await db().user.findMany({ where: { deactivatedAt: null }, select: { id: true, email: true, name: true }, orderBy: { name: "asc" } }) : [],
  };
}

/** Refuses people the creator of a new project may not name, or who do not exist, before the project is created. */
export async function assertNewProjectPeople(actor: UserActor, input: UpdateStageInput) {
  const data = updateStageSchema.parse(input);
  const roles: Role[] = [actor.role, "project_member", "stage_owner"];
  if (data.ownerEmail !== undefined) assertRoles(roles, "stages:assignOwner");
  if (data.reviewerEmails !== undefined) assertRoles(roles, "stages:assignReviewers");
  await usersByEmail(db(), [...(data.ownerEmail ? [data.ownerEmail] : []), ...(data.reviewerEmails ?? [])]);
}

/** The exact approved artifact versions a sign-off covers, and their digest. */
export function coverageOf(artifacts: { id: string; ref: string; currentVersion: number; status: string }[]) {
  const versions = artifacts
    .map((a) => ({ artifactId: a.id, ref: a.ref, version: a.currentVersion, status: a.status }))
    .sort((a, b) => a.artifactId.localeCompare(b.artifactId));
  const hash = createHash("sha256")
    .update(versions.map((v) => `${v.artifactId}@${v.version}:${v.status}`).join("\n"))
    .digest("hex");
  return { versions, hash };
}

export async function signOffStage(actor: UserActor, projectId: string, key: StageKey, input: z.input<typeof signOffSchema> | undefined) {
  const { comment } = signOffSchema.parse(input ?? {});
  await assertCan(actor, "stages:signOff", { projectId, stage: key });
  const signOff = await transact(async (tx) => {
    const stage = await loadStage(tx, projectId, key);
    const blocker = signOffBlocker(await signOffFacts(tx, stage), actor.userId);
    if (blocker) throw blocker.code === "forbidden" ? forbidden(blocker.message) : conflict(blocker.message, blocker.details);
    const artifacts = await tx.artifact.findMany({
      where: { stageId: stage.id, status: { in: ["approved", "auto_approved"] } },
      select: { id: true, ref: true, currentVersion: true, status: true },
    });
    const coverage = coverageOf(artifacts);
    const created = await tx.signOff.create({
      data: { stageId: stage.id, signedById: actor.userId, comment: comment || null, coverageHash: coverage.hash, artifactVersions: coverage.versions },
    });
    await tx.stage.update({ where: { id: stage.id }, data: { status: "signed_off" } });
    await recordAudit(tx, {
      actor,
      action: "stage.signed_off",
      subjectType: "stage",
      subjectId: stage.id,
      projectId,
      before: { stage: key, status: stage.status },
      after: {
        stage: key,
        status: "signed_off",
        coverageHash: coverage.hash,
        artifacts: coverage.versions.length,
        // Someone other than the owner passed the owner's permission check: they hold the role through a delegation.
        ...(stage.owner && stage.owner.id !== actor.userId ? { onBehalfOf: stage.owner.email } : {}),
      },
      reason: comment || null,
    });
    await emitEvent(tx, "stage.signed_off", {
      signOffId: created.id,
      projectId,
      stageId: stage.id,
      stage: key,
      status: "signed_off",
      signedBy: actor.email,
      coverageHash: coverage.hash,
      artifacts: coverage.versions.map((v) => ({ id: v.artifactId, ref: v.ref, version: v.version })),
    });
    const next = nextStageKey(key);
    if (next) {
      const nextStage = await tx.stage.update({ where: { projectId_key: { projectId, key: next } }, data: { status: "open" } });
      await recordAudit(tx, {
        actor,
        action: "stage.unlocked",
        subjectType: "stage",
        subjectId: nextStage.id,
        projectId,
        before: { stage: next, status: "locked" },
        after: { stage: next, status: "open" },
        reason: `${stageLabels[key]} was signed off`,
      });
    }
    return created;
  });
  return { id: signOff.id, stage: key, coverageHash: signOff.coverageHash, createdAt: signOff.createdAt.toISOString() };
}
