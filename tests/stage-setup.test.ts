import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { startRun } from "@/lib/pipeline/service";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { assignEveryStage, listStages, newProjectPeople } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";
import { makeUser, sampleNotes } from "./helpers";

/** The same owner and reviewers for every stage: at creation, and for a project later, in one step. */
const session = vi.hoisted(() => ({ actor: null as UserActor | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));
vi.mock("@/lib/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), currentActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { assignEveryStageAction, createProjectAction } = await import("@/app/(app)/projects/actions");

const codeOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => toAppError(error).code);

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

describe("the same people for every stage", () => {
  let admin: UserActor;
  let member: UserActor;
  let alice: UserActor;
  let bob: UserActor;

  beforeAll(async () => {
    admin = await makeUser("admin@setup.test", "admin");
    member = await makeUser("member@setup.test");
    alice = await makeUser("alice@setup.test");
    bob = await makeUser("bob@setup.test");
  });

  const people = async (projectId: string) =>
    (await listStages(admin, projectId)).map((stage) => ({ key: stage.key, owner: stage.owner?.email ?? null, reviewers: stage.reviewers.map((r) => r.email).sort() }));

  it("lets a new project start with one owner and one set of reviewers for all seven stages", async () => {
    session.actor = admin;
    const created = await createProjectAction(form({ name: "Same people", brief: "", ownerEmail: alice.email, reviewerEmails: [bob.email, member.email] }));
    expect(created).toMatchObject({ ok: true });
    const projectId = (created as { data: { id: string } }).data.id;
    expect(await people(projectId)).toEqual(stageKeys.map((key) => ({ key, owner: alice.email, reviewers: [bob.email, member.email].sort() })));
    expect(await db().auditEvent.count({ where: { projectId, action: "stage.assigned" } })).toBe(stageKeys.length);
    expect(await db().projectMember.count({ where: { projectId, userId: { in: [alice.userId, bob.userId, member.userId] } } })).toBe(3);
  });

  it("lets a member who creates a project name its reviewers, keeping them as owner; naming another owner is an admin's", async () => {
    session.actor = member;
    expect(await newProjectPeople(member)).toMatchObject({ mayAssignOwner: false, mayAssignReviewers: true, users: expect.arrayContaining([expect.objectContaining({ email: bob.email })]) });
    const projects = await db().project.count();
    const refused = await createProjectAction(form({ name: "Not mine to staff", ownerEmail: alice.email }));
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const unknown = await createProjectAction(form({ name: "Nobody", reviewerEmails: "nobody@setup.test" }));
    expect(unknown).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringContaining("nobody@setup.test") } });
    expect(await db().project.count()).toBe(projects);

    const created = await createProjectAction(form({ name: "Mine", reviewerEmails: bob.email }));
    const projectId = (created as { ok: true; data: { id: string } }).data.id;
    expect(await people(projectId)).toEqual(stageKeys.map((key) => ({ key, owner: member.email, reviewers: [bob.email] })));
    // A plain project, as before, leaves the creator owning every stage with nobody reviewing.
    const plain = (await createProjectAction(form({ name: "Plain" }))) as { ok: true; data: { id: string } };
    expect(await people(plain.data.id)).toEqual(stageKeys.map((key) => ({ key, owner: member.email, reviewers: [] })));
  });

  it("changes every stage of an existing project at once, in one transaction, within the same permissions as one stage", async () => {
    const projectId = (await createProject(member, { name: "Later" })).id;
    session.actor = member;
    expect(await assignEveryStageAction({ projectId, reviewerEmails: [alice.email] })).toMatchObject({ ok: true, data: { stages: stageKeys.length } });
    expect((await people(projectId)).every((stage) => stage.reviewers.join() === alice.email && stage.owner === member.email)).toBe(true);
    expect(await assignEveryStageAction({ projectId, ownerEmail: alice.email })).toMatchObject({ ok: false, error: { code: "forbidden" } });

    // Once someone else owns a stage, its former owner can no longer staff every stage.
    await assignEveryStage(admin, projectId, { ownerEmail: bob.email });
    const before = await people(projectId);
    expect(await codeOf(assignEveryStage(member, projectId, { reviewerEmails: [member.email] }))).toBe("forbidden");
    // An unknown email changes nothing anywhere.
    expect(await codeOf(assignEveryStage(admin, projectId, { reviewerEmails: [alice.email, "ghost@setup.test"] }))).toBe("invalid");
    expect(await people(projectId)).toEqual(before);
    expect(before.every((stage) => stage.owner === bob.email)).toBe(true);
  });

  it("still starts a run of a stage nobody reviews: the stage page warns instead, since an admin may add reviewers later", async () => {
    const projectId = (await createProject(member, { name: "Unreviewed" })).id;
    await addSource(member, projectId, sampleNotes[0]);
    expect((await listStages(member, projectId))[0].reviewers).toEqual([]);
    expect(await startRun(member, projectId, { stage: "requirements" })).toMatchObject({ status: "queued" });
  });
});
