import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { canDo } from "@/lib/access";
import { db } from "@/lib/db";
import { createDelegation, listDelegations, revokeDelegation } from "@/lib/delegations/service";
import { toAppError, type AppError } from "@/lib/errors";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { pendingReviewCount } from "@/lib/review/views";
import { signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { api, makeCaller } from "./api/api-client";
import { makeUser } from "./helpers";

/**
 * Delegation (out of office): a live delegation gives the delegate the delegator's stage roles
 * in its scope, the delegate's decisions record whom they acted for, and an expired or revoked
 * one gives nothing. Each is checked through the same permission path the routes use.
 */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return toAppError(error);
}

const HOUR = 60 * 60_000;
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

let admin: UserActor;
let owner: UserActor;
let reviewer: UserActor;
let delegate: UserActor;
let outsider: UserActor;
let projectId: string;
let world: { stageId: string; runId: string; stepRunId: string };
let drafted = 0;

/** A version-1 draft waiting for review in the requirements stage. */
async function draft(): Promise<{ artifactId: string; itemId: string }> {
  drafted += 1;
  const artifact = await db().artifact.create({
    data: { projectId, stageId: world.stageId, runId: world.runId, stepRunId: world.stepRunId, kind: "requirement", ref: `REQ-${drafted}`, status: "pending_review" },
  });
  await db().artifactVersion.create({
    data: {
      artifactId: artifact.id,
      version: 1,
      content: { statement: `Members must be able to renew loan ${drafted} online.`, category: "functional", sources: [], unsure: null },
      confidence: 0.7,
      stepRunId: world.stepRunId,
      model: "offline",
    },
  });
  const item = await db().reviewItem.create({
    data: { projectId, stageId: world.stageId, runId: world.runId, artifactId: artifact.id, version: 1, reasons: [{ code: "low_confidence", detail: "0.70 < 0.95" }] },
  });
  return { artifactId: artifact.id, itemId: item.id };
}

beforeAll(async () => {
  admin = await makeUser("admin@delegations.test", "admin");
  owner = await makeUser("owner@delegations.test");
  reviewer = await makeUser("reviewer@delegations.test");
  delegate = await makeUser("delegate@delegations.test");
  outsider = await makeUser("outsider@delegations.test");
  projectId = (await createProject(admin, { name: "Delegations" })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
  const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: "requirements" } } });
  // The admin started the (finished) run, so the reviewers and their delegates may decide what it drafted.
  const run = await db().run.create({ data: { projectId, stageId: stage.id, status: "completed", createdById: admin.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed", model: "offline" } });
  world = { stageId: stage.id, runId: run.id, stepRunId: step.id };
});

describe("creating a delegation", () => {
  it("refuses roles the delegator does not hold, themselves, unknown people and wrong windows", async () => {
    const window = { startsAt: fromNow(-HOUR), endsAt: fromNow(HOUR) };
    const noRole = await appError(createDelegation(outsider, { toEmail: delegate.email, ...window }));
    expect(noRole.code).toBe("forbidden");
    const otherStage = await appError(createDelegation(reviewer, { toEmail: delegate.email, projectId, stageKey: "design", ...window }));
    expect(otherStage.message).toMatch(/neither own nor review the Design stage/);
    expect((await appError(createDelegation(reviewer, { toEmail: reviewer.email, ...window }))).message).toMatch(/yourself/);
    expect((await appError(createDelegation(reviewer, { toEmail: "nobody@delegations.test", ...window }))).code).toBe("invalid");
    expect((await appError(createDelegation(reviewer, { toEmail: delegate.email, startsAt: fromNow(HOUR), endsAt: fromNow(-HOUR) }))).code).toBe("invalid");
    expect((await appError(createDelegation(reviewer, { toEmail: delegate.email, startsAt: fromNow(0), endsAt: fromNow(91 * 24 * HOUR) }))).code).toBe("invalid");
    expect((await appError(createDelegation(reviewer, { toEmail: delegate.email, stageKey: "requirements", ...window }))).code).toBe("invalid");
    expect(await db().delegation.count()).toBe(0);
  });
});

describe("a delegate reviewer", () => {
  it("cannot decide before the delegation, decides during it on behalf of the reviewer, and is recorded so", async () => {
    const first = await draft();
    expect((await appError(decideReviewItem(delegate, first.itemId, { action: "approve", version: 1 }))).code).toBe("forbidden");
    expect(await pendingReviewCount(delegate)).toBe(0);

    const delegation = await createDelegation(reviewer, { toEmail: delegate.email, startsAt: fromNow(-HOUR), endsAt: fromNow(HOUR), projectId, stageKey: "requirements", reason: "On leave" });
    expect(delegation).toMatchObject({ from: { email: reviewer.email }, to: { email: delegate.email }, projectId, stageKey: "requirements", state: "active" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "delegation.created", subjectId: delegation.id } });
    expect(audit).toMatchObject({ actorId: reviewer.userId, projectId, reason: "On leave" });
    expect(await db().notification.count({ where: { userId: delegate.userId, kind: "delegation" } })).toBe(1);

    // The delegate's queue shows the stage's items as theirs to decide, and the nav badge counts them.
    expect(await pendingReviewCount(delegate)).toBe(await db().reviewItem.count({ where: { stageId: world.stageId, status: "pending" } }));
    const queue = await listReviewItems(delegate, { projectId, status: "pending", limit: 50 });
    expect(queue.items.find((item) => item.id === first.itemId)).toMatchObject({ canDecide: true });

    await decideReviewItem(delegate, first.itemId, { action: "approve", version: 1 });
    const decision = await db().reviewDecision.findFirstOrThrow({ where: { reviewItemId: first.itemId } });
    expect(decision).toMatchObject({ decidedById: delegate.userId, onBehalfOfId: reviewer.userId });
    const decided = await listReviewItems(reviewer, { projectId, status: "decided", limit: 50 });
    expect(decided.items.find((item) => item.id === first.itemId)?.decision).toMatchObject({
      by: { email: delegate.email },
      onBehalfOf: { email: reviewer.email, name: reviewer.name },
    });

    // The reviewer's own decision is their own.
    const second = await draft();
    await decideReviewItem(reviewer, second.itemId, { action: "reject", version: 1, comment: "Not needed." });
    expect(await db().reviewDecision.findFirstOrThrow({ where: { reviewItemId: second.itemId } })).toMatchObject({ decidedById: reviewer.userId, onBehalfOfId: null });

    // Both parties see it; someone else does not.
    expect((await listDelegations(delegate)).map((d) => d.id)).toContain(delegation.id);
    expect((await listDelegations(reviewer)).map((d) => d.id)).toContain(delegation.id);
    expect(await listDelegations(outsider)).toEqual([]);
    expect((await listDelegations(admin)).map((d) => d.id)).toContain(delegation.id);

    // Revoked, it gives nothing at once.
    expect((await appError(revokeDelegation(outsider, delegation.id))).code).toBe("not_found");
    expect((await revokeDelegation(reviewer, delegation.id)).state).toBe("revoked");
    expect(await db().auditEvent.count({ where: { action: "delegation.revoked", subjectId: delegation.id } })).toBe(1);
    const third = await draft();
    expect((await appError(decideReviewItem(delegate, third.itemId, { action: "approve", version: 1 }))).code).toBe("forbidden");
    expect((await appError(revokeDelegation(reviewer, delegation.id))).code).toBe("invalid");
  });

  it("gets nothing from an expired or a future delegation, nor outside its scope", async () => {
    const expired = await db().delegation.create({
      data: { fromUserId: reviewer.userId, toUserId: outsider.userId, startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - HOUR) },
    });
    const future = await db().delegation.create({
      data: { fromUserId: reviewer.userId, toUserId: outsider.userId, startsAt: new Date(Date.now() + HOUR), endsAt: new Date(Date.now() + 3 * HOUR) },
    });
    const scope = { projectId, stage: "requirements" as const };
    expect(await canDo(outsider, "review:decide", scope)).toBe(false);
    expect(await canDo(outsider, "projects:read", { projectId })).toBe(false);
    expect((await listDelegations(outsider)).map((d) => [d.id, d.state])).toEqual(
      expect.arrayContaining([
        [expired.id, "ended"],
        [future.id, "scheduled"],
      ]),
    );
    // A live delegation for another project's stage gives nothing here.
    const elsewhere = (await createProject(admin, { name: "Elsewhere" })).id;
    await updateStageAssignments(admin, elsewhere, "requirements", { reviewerEmails: [reviewer.email] });
    await createDelegation(reviewer, { toEmail: outsider.email, startsAt: fromNow(-HOUR), endsAt: fromNow(HOUR), projectId: elsewhere, stageKey: "requirements" });
    expect(await canDo(outsider, "review:decide", { projectId: elsewhere, stage: "requirements" })).toBe(true);
    expect(await canDo(outsider, "review:decide", scope)).toBe(false);
    expect(await canDo(outsider, "projects:read", { projectId })).toBe(false);
  });
});

describe("a delegate owner", () => {
  it("signs off the stage while the owner is away, and cannot once the delegation is revoked", async () => {
    for (const item of await db().reviewItem.findMany({ where: { stageId: world.stageId, status: "pending" } })) {
      await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
    }
    const delegation = await createDelegation(owner, { toEmail: delegate.email, startsAt: fromNow(-HOUR), endsAt: fromNow(2 * HOUR), projectId });
    expect(await canDo(delegate, "stages:signOff", { projectId, stage: "requirements" })).toBe(true);
    // The owner's role in other projects is not delegated.
    expect(await canDo(delegate, "stages:signOff", { projectId: (await createProject(owner, { name: "Owner's other" })).id, stage: "requirements" })).toBe(false);
    await revokeDelegation(owner, delegation.id);
    expect((await appError(signOffStage(delegate, projectId, "requirements", {}))).code).toBe("forbidden");

    await createDelegation(owner, { toEmail: delegate.email, startsAt: fromNow(-HOUR), endsAt: fromNow(2 * HOUR), projectId, stageKey: "requirements" });
    const signOff = await signOffStage(delegate, projectId, "requirements", { comment: "Signed while the owner is away." });
    expect(signOff.stage).toBe("requirements");
    const stored = await db().signOff.findUniqueOrThrow({ where: { id: signOff.id } });
    expect(stored.signedById).toBe(delegate.userId);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "stage.signed_off", subjectId: world.stageId } });
    expect(audit.after).toMatchObject({ onBehalfOf: owner.email });
    expect(audit.actorId).toBe(delegate.userId);
    expect((await db().stage.findUniqueOrThrow({ where: { id: world.stageId } })).status).toBe("signed_off");
  });
});

describe("/api/v1/delegations", () => {
  it("creates, lists and revokes through the API, with 4xx for bad input", async () => {
    const holder = await makeCaller("holder@delegations-api.test");
    const stand = await makeCaller("stand@delegations-api.test");
    const apiAdmin = await makeCaller("admin@delegations-api.test", "admin");
    const apiProject = (await api(apiAdmin.token).ok("createProject", { json: { name: "Delegations API" } })).id;
    await api(apiAdmin.token).ok("updateStage", { params: { id: apiProject, key: "requirements" }, json: { reviewerEmails: [holder.email] } });

    const window = { startsAt: fromNow(-HOUR), endsAt: fromNow(HOUR) };
    const created = await api(holder.token).ok("createDelegation", { json: { toEmail: stand.email, projectId: apiProject, stageKey: "requirements", ...window } });
    expect(created).toMatchObject({ state: "active", to: { email: stand.email }, stageKey: "requirements" });
    expect((await api(stand.token).ok("listDelegations", {})).items.map((d) => d.id)).toEqual([created.id]);

    expect((await api(holder.token).call("createDelegation", { json: { toEmail: stand.email, startsAt: "yesterday", endsAt: window.endsAt } })).status).toBe(422);
    expect((await api(holder.token).call("createDelegation", { json: { toEmail: holder.email, ...window } })).status).toBe(422);
    expect((await api(stand.token).call("createDelegation", { json: { toEmail: holder.email, ...window } })).status).toBe(403);
    expect((await api(holder.token).call("createDelegation", { json: { toEmail: stand.email, projectId: "nope", ...window } })).status).toBe(404);
    expect((await api(holder.token).call("revokeDelegation", { params: { id: "nope" } })).status).toBe(404);

    // The delegate hands the role back.
    expect(await api(stand.token).ok("revokeDelegation", { params: { id: created.id } })).toMatchObject({ id: created.id, state: "revoked" });
  });
});
