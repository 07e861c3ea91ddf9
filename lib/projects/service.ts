import type { Actor, UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { stageKeys } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { resumeRunsThatFit } from "@/lib/pipeline/service";
import { wakeWorker } from "@/lib/pipeline/worker";
import { spentUsd } from "@/lib/runtime/budget";
import { createProjectSchema, updateProjectSchema, type CreateProjectInput, type UpdateProjectInput } from "./schema";

/**
 * Creates a project with its seven stages; the first is open, the rest wait for sign-offs.
 * The creator owns every stage until an admin names other owners, so a new project can run.
 */
export async function insertProject(actor: Actor & { userId: string }, input: CreateProjectInput) {
  const data = createProjectSchema.parse(input);
  return transact(async (tx) => {
    const project = await tx.project.create({
      data: {
        name: data.name,
        brief: data.brief,
        createdById: actor.userId,
        members: { create: { userId: actor.userId } },
        stages: {
          create: stageKeys.map((key, position) => ({
            key,
            position,
            status: position === 0 ? "open" : "locked",
            ownerId: actor.userId,
          })),
        },
      },
    });
    await recordAudit(tx, {
      actor,
      action: "project.created",
      subjectType: "project",
      subjectId: project.id,
      projectId: project.id,
      after: { name: project.name, brief: project.brief },
    });
    return project;
  });
}

export async function createProject(actor: UserActor, input: CreateProjectInput) {
  await assertCan(actor, "projects:create");
  return insertProject(actor, input);
}

export async function listProjects(actor: UserActor) {
  const projects = await db().project.findMany({
    where: actor.role === "admin" ? {} : { members: { some: { userId: actor.userId } } },
    include: {
      stages: { select: { key: true, status: true }, orderBy: { position: "asc" } },
      _count: { select: { sources: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  return projects.map(({ _count, ...project }) => ({ ...project, sourceCount: _count.sources }));
}

export async function getProject(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  const project = await db().project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("The project");
  return project;
}

/** Stage owners and reviewers become project members, so they can read what they decide. */
export async function ensureMember(tx: Tx, projectId: string, userId: string): Promise<void> {
  await tx.projectMember.upsert({
    where: { projectId_userId: { projectId, userId } },
    create: { projectId, userId },
    update: {},
  });
}

/**
 * Sets the project's spending limit for all its model calls (admins). Runs the old limit blocked
 * resume when the call it refused now fits; the others keep waiting, their figures unchanged.
 */
export async function updateProject(actor: UserActor, projectId: string, input: UpdateProjectInput) {
  const { budgetUsd, reason } = updateProjectSchema.parse(input);
  await assertCan(actor, "budgets:manage", { projectId });
  const resumedRunIds = await transact(async (tx) => {
    const before = await tx.project.findUnique({ where: { id: projectId }, select: { budgetUsd: true } });
    if (!before) throw notFound("The project");
    await tx.project.update({ where: { id: projectId }, data: { budgetUsd } });
    await recordAudit(tx, {
      actor,
      action: "project.budget_changed",
      subjectType: "project",
      subjectId: projectId,
      projectId,
      before: { budgetUsd: before.budgetUsd },
      after: { budgetUsd },
      reason: reason || null,
    });
    return resumeRunsThatFit(tx, actor, { projectId }, "project", budgetUsd, "The project's budget was raised.");
  });
  if (resumedRunIds.length > 0) wakeWorker();
  return { ...(await projectBudget(projectId)), resumedRunIds };
}

/** A project's budget and what its model calls have cost so far, for its members. */
export async function getProjectBudget(actor: UserActor, projectId: string) {
  await assertCan(actor, "projects:read", { projectId });
  return projectBudget(projectId);
}

async function projectBudget(projectId: string) {
  const project = await db().project.findUnique({ where: { id: projectId }, select: { id: true, budgetUsd: true } });
  if (!project) throw notFound("The project");
  return { id: project.id, budgetUsd: project.budgetUsd, spentUsd: await spentUsd({ projectId }) };
}
