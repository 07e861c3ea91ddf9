import { spawn } from "node:child_process";
import { once } from "node:events";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { toAppError, type AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/sqlite/client";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem } from "@/lib/review/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";

/**
 * What a decision writes, row by row: the claim, the decision, the artifact's status and
 * versions, the label calibration learns from, the audit events; and what it refuses. The
 * decision path is written in plain SQL for both databases, so these tests pin down the rows
 * it leaves behind.
 */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").not.toBeNull();
  return toAppError(error);
}

const features = { rawConfidence: 0.7, category: "functional", flags: ["vague"], modelId: "offline", sourceKind: "interview" };

let admin: UserActor;
let owner: UserActor;
let first: UserActor;
let second: UserActor;
let projectId: string;
let world: { stageId: string; runId: string; stepRunId: string };
let drafted = 0;

type Draft = { artifactId: string; itemId: string; ref: string };

/** A version-1 draft waiting for review, routed with calibration evidence unless told otherwise. */
async function draft(options: { routing?: "evidence" | "no_step" | "null_features" | "none"; category?: string } = {}): Promise<Draft> {
  drafted += 1;
  const ref = `REQ-${drafted}`;
  const artifact = await db().artifact.create({
    data: { projectId, stageId: world.stageId, runId: world.runId, stepRunId: world.stepRunId, kind: "requirement", ref, status: "pending_review" },
  });
  await db().artifactVersion.create({
    data: {
      artifactId: artifact.id,
      version: 1,
      content: { statement: `Members must be able to renew loan ${drafted} online.`, category: options.category ?? "functional", sources: [], unsure: null },
      confidence: 0.7,
      stepRunId: world.stepRunId,
      model: "offline",
    },
  });
  const routing = options.routing ?? "evidence";
  if (routing !== "none") {
    await db().routingDecision.create({
      data: {
        artifactId: artifact.id,
        version: 1,
        outcome: "review",
        reasons: [],
        policy: {},
        stepKey: routing === "no_step" ? "" : "synthesize-requirements",
        category: "functional",
        features: routing === "null_features" ? Prisma.JsonNull : features,
        calibratedProbability: 0.61,
        threshold: 0.95,
      },
    });
  }
  const item = await db().reviewItem.create({
    data: { projectId, stageId: world.stageId, runId: world.runId, artifactId: artifact.id, version: 1, reasons: [{ code: "low_confidence", detail: "0.70 < 0.95" }] },
  });
  return { artifactId: artifact.id, itemId: item.id, ref };
}

async function openConflict(sides: Draft[]) {
  const conflict = await db().conflict.create({
    data: {
      projectId,
      stageId: world.stageId,
      runId: world.runId,
      ref: `CONF-${drafted}`,
      description: "Two notes disagree on online renewals",
      sides: sides.map((side) => ({ artifactId: side.artifactId, ref: side.ref, sourceId: "s", quote: "renew", statement: "Renew online" })),
    },
  });
  const item = await db().reviewItem.create({
    data: { kind: "conflict", projectId, stageId: world.stageId, runId: world.runId, conflictId: conflict.id, version: 1, reasons: [{ code: "conflict", detail: "contradiction" }] },
  });
  return { conflictId: conflict.id, itemId: item.id, ref: conflict.ref };
}

const decisionsOf = (reviewItemId: string) => db().reviewDecision.findMany({ where: { reviewItemId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  admin = await makeUser("admin@decisions.test", "admin");
  owner = await makeUser("owner@decisions.test");
  first = await makeUser("first@decisions.test");
  second = await makeUser("second@decisions.test");
  projectId = (await createProject(admin, { name: "Decisions" })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [first.email, second.email] });
  const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: "requirements" } } });
  // The owner started the run, so the reviewers may decide everything it drafted.
  const run = await db().run.create({ data: { projectId, stageId: stage.id, status: "waiting_review", createdById: owner.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed", model: "offline" } });
  world = { stageId: stage.id, runId: run.id, stepRunId: step.id };
  // A draft that stays pending keeps the run waiting throughout.
  await draft();
});

describe("a decision on a draft", () => {
  it("records an approval: the claim, the decision, the artifact, the label and the audit event", async () => {
    const target = await draft();
    const result = await decideReviewItem(first, target.itemId, { action: "approve", version: 1, comment: "Clear." });
    expect(result).toMatchObject({ action: "approve", artifactId: target.artifactId, status: "approved", version: 1 });

    const item = await db().reviewItem.findUniqueOrThrow({ where: { id: target.itemId } });
    expect(item.status).toBe("decided");
    expect(item.decidedAt).toBeInstanceOf(Date);
    const [decision] = await decisionsOf(target.itemId);
    expect(decision).toMatchObject({
      id: result.id,
      artifactId: target.artifactId,
      version: 1,
      action: "approve",
      comment: "Clear.",
      content: null,
      newVersion: null,
      label: "approved_unchanged",
      changedFields: [],
      editDistance: 0,
      decidedById: first.userId,
      onBehalfOfId: null,
      undoneAt: null,
    });
    const artifact = await db().artifact.findUniqueOrThrow({ where: { id: target.artifactId } });
    expect(artifact).toMatchObject({ status: "approved", currentVersion: 1 });
    expect(artifact.updatedAt.getTime()).toBeGreaterThanOrEqual(artifact.createdAt.getTime());

    const label = await db().draftLabel.findUniqueOrThrow({ where: { artifactId: target.artifactId } });
    expect(label).toMatchObject({
      stepKey: "synthesize-requirements",
      category: "functional",
      features,
      calibratedProbability: 0.61,
      routedTo: "people",
      source: "review",
      outcome: "approved_unchanged",
      correct: true,
      correctedCategory: null,
      statement: expect.stringContaining("renew loan"),
      editDistance: 0,
      decidedById: first.userId,
    });

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "review.approved", subjectId: target.artifactId } });
    expect(event).toMatchObject({ actorType: "user", actorId: first.userId, actorLabel: first.email, subjectType: "artifact", projectId, reason: "Clear." });
    expect(event.before).toMatchObject({ ref: target.ref, version: 1, status: "pending_review", content: { category: "functional" } });
    expect(event.after).toEqual({ ref: target.ref, version: 1, status: "approved" });
  });

  it("records an edit as a new version that someone else must approve, and labels only version 1", async () => {
    const target = await draft();
    const result = await decideReviewItem(first, target.itemId, {
      action: "edit",
      version: 1,
      content: { statement: "Members must be able to renew a loan online up to three times.", category: "performance" },
    });
    expect(result).toMatchObject({ action: "edit", status: "pending_review", version: 2 });

    const versions = await db().artifactVersion.findMany({ where: { artifactId: target.artifactId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, v.editedById])).toEqual([
      [1, null],
      [2, first.userId],
    ]);
    expect(versions[1].content).toMatchObject({ statement: "Members must be able to renew a loan online up to three times.", category: "performance", sources: [] });
    expect(await db().artifact.findUniqueOrThrow({ where: { id: target.artifactId } })).toMatchObject({ status: "pending_review", currentVersion: 2 });
    const [decision] = await decisionsOf(target.itemId);
    expect(decision).toMatchObject({ action: "edit", newVersion: 2, label: "edited", changedFields: ["category", "statement"], content: versions[1].content });
    expect(decision.editDistance).toBeGreaterThan(0);
    expect(await db().draftLabel.findUniqueOrThrow({ where: { artifactId: target.artifactId } })).toMatchObject({
      outcome: "edited",
      correct: false,
      correctedCategory: "performance",
      statement: "Members must be able to renew a loan online up to three times.",
    });

    const revised = await db().reviewItem.findFirstOrThrow({ where: { artifactId: target.artifactId, status: "pending" } });
    expect(revised).toMatchObject({ kind: "draft", version: 2, runId: world.runId, stageId: world.stageId, requiredApprovals: 1, slaLevel: 0 });
    expect(revised.reasons).toEqual([{ code: "edited", detail: `${first.name} edited category, statement; someone else must approve the edited version` }]);
    expect(revised.createdAt).toBeInstanceOf(Date);

    expect((await appError(decideReviewItem(first, revised.id, { action: "approve", version: 2 }))).message).toMatch(/You wrote this version/);
    await decideReviewItem(second, revised.id, { action: "approve", version: 2 });
    expect(await db().draftLabel.count({ where: { artifactId: target.artifactId } })).toBe(1);
    expect(await db().auditEvent.count({ where: { subjectId: target.artifactId, action: { in: ["review.edited", "review.approved"] } } })).toBe(2);
  });

  it("labels only drafts routed with calibration evidence, from their first routing", async () => {
    const noStep = await draft({ routing: "no_step" });
    const nullFeatures = await draft({ routing: "null_features" });
    const unrouted = await draft({ routing: "none" });
    for (const target of [noStep, nullFeatures, unrouted]) await decideReviewItem(first, target.itemId, { action: "reject", version: 1, comment: "Out of scope." });
    expect(await db().draftLabel.count({ where: { artifactId: { in: [noStep.artifactId, nullFeatures.artifactId, unrouted.artifactId] } } })).toBe(0);

    const rerouted = await draft();
    await db().routingDecision.create({
      data: { artifactId: rerouted.artifactId, version: 1, outcome: "review", reasons: [], policy: {}, stepKey: "later-step", category: "constraint", features, createdAt: new Date(Date.now() + 60_000) },
    });
    await decideReviewItem(first, rerouted.itemId, { action: "reject", version: 1, comment: "Duplicate." });
    expect(await db().draftLabel.findUniqueOrThrow({ where: { artifactId: rerouted.artifactId } })).toMatchObject({ stepKey: "synthesize-requirements", category: "functional", outcome: "rejected", correct: false });
  });

  it("times a decision from the reviewer's previous one", async () => {
    const timed = await makeUser("timed@decisions.test");
    await updateStageAssignments(admin, projectId, "requirements", { reviewerEmails: [first.email, second.email, timed.email] });
    const [a, b] = [await draft(), await draft()];
    await decideReviewItem(timed, a.itemId, { action: "approve", version: 1 });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await decideReviewItem(timed, b.itemId, { action: "approve", version: 1 });
    const [firstDecision] = await decisionsOf(a.itemId);
    const [secondDecision] = await decisionsOf(b.itemId);
    expect(firstDecision.durationMs).toBeNull();
    expect(secondDecision.durationMs).toBeGreaterThanOrEqual(30);
    expect(secondDecision.durationMs).toBeLessThanOrEqual(Date.now() - started + 1_000);
    expect(await db().draftLabel.findUniqueOrThrow({ where: { artifactId: b.artifactId } })).toMatchObject({ durationMs: secondDecision.durationMs });
  });

  it("lets exactly one of two reviewers deciding one item at once through", async () => {
    const target = await draft();
    const outcomes = await Promise.allSettled([
      decideReviewItem(first, target.itemId, { action: "approve", version: 1 }),
      decideReviewItem(second, target.itemId, { action: "reject", version: 1, comment: "No." }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const [refused] = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(toAppError(refused.reason)).toMatchObject({ code: "conflict", details: { reason: "already_decided" } });
    expect(await decisionsOf(target.itemId)).toHaveLength(1);
    expect(await db().draftLabel.count({ where: { artifactId: target.artifactId } })).toBe(1);
  });

  it("refuses an unknown item, a stranger, a stale version and the run's starter", async () => {
    const target = await draft();
    expect(await appError(decideReviewItem(first, "no-such-item", { action: "approve", version: 1 }))).toMatchObject({ code: "not_found" });
    const stranger = await makeUser("stranger@decisions.test");
    expect(await appError(decideReviewItem(stranger, target.itemId, { action: "approve", version: 1 }))).toMatchObject({ code: "forbidden" });
    expect(await appError(decideReviewItem(first, target.itemId, { action: "approve", version: 2 }))).toMatchObject({ code: "conflict", details: { reason: "stale_version", currentVersion: 1 } });
    await updateStageAssignments(admin, projectId, "requirements", { reviewerEmails: [first.email, second.email, owner.email] });
    expect((await appError(decideReviewItem(owner, target.itemId, { action: "approve", version: 1 }))).message).toMatch(/You started the run/);
    expect(await decisionsOf(target.itemId)).toHaveLength(0);
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: target.itemId } })).toMatchObject({ status: "pending", decidedAt: null });
  });

  it.runIf(databaseProvider() === "sqlite")("waits for another process's write to the database instead of failing (SQLite)", async () => {
    const target = await draft();
    // Another process (a worker, a second app instance) holds SQLite's write lock for a moment.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN IMMEDIATE"); db.prepare('UPDATE "Project" SET "name" = "name"').run();
         console.log("locked"); setTimeout(() => { db.exec("COMMIT"); db.close(); }, 400);`,
        process.env.DATABASE_URL!.replace(/^file:/, ""),
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    await once(holder.stdout!, "data");
    // A transaction that reads before it writes would fail at once (SQLITE_BUSY: a 503); the decision waits its turn.
    const decided = await decideReviewItem(first, target.itemId, { action: "approve", version: 1 });
    expect(decided).toMatchObject({ status: "approved" });
    await once(holder, "exit");
  });

  it.runIf(databaseProvider() === "sqlite")("stores times as the ORM does (ISO 8601 text with +00:00 on SQLite)", async () => {
    const target = await draft();
    await decideReviewItem(first, target.itemId, { action: "approve", version: 1 });
    const stored = await db().$queryRawUnsafe<{ value: string }[]>(
      `SELECT CAST("createdAt" AS TEXT) AS "value" FROM "ReviewDecision" WHERE "reviewItemId" = ?
       UNION ALL SELECT CAST("decidedAt" AS TEXT) FROM "ReviewItem" WHERE "id" = ?
       UNION ALL SELECT CAST("updatedAt" AS TEXT) FROM "Artifact" WHERE "id" = ?
       UNION ALL SELECT CAST("createdAt" AS TEXT) FROM "DraftLabel" WHERE "artifactId" = ?
       UNION ALL SELECT CAST("createdAt" AS TEXT) FROM "Artifact" WHERE "id" = ?`,
      target.itemId,
      target.itemId,
      target.artifactId,
      target.artifactId,
      target.artifactId,
    );
    expect(stored).toHaveLength(5);
    for (const { value } of stored) expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  });
});

describe("a conflict between drafts", () => {
  it("keeps its sides from approval or edit until it is resolved, while rejecting them and deciding other drafts stays possible", async () => {
    const [a, b, other, rejected] = [await draft(), await draft(), await draft(), await draft()];
    const conflict = await openConflict([a, b, rejected]);
    for (const decision of [
      { action: "approve", version: 1 },
      { action: "edit", version: 1, content: { statement: "Members renew online." } },
    ] as const) {
      const refused = await appError(decideReviewItem(first, a.itemId, decision));
      expect(refused).toMatchObject({ code: "conflict", details: { reason: "open_conflict", conflictId: conflict.conflictId } });
      expect(refused.message).toContain(`${a.ref} is part of ${conflict.ref}`);
    }
    await decideReviewItem(first, other.itemId, { action: "approve", version: 1 });
    await decideReviewItem(first, rejected.itemId, { action: "reject", version: 1, comment: "Not needed." });
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: a.itemId } })).toMatchObject({ status: "pending" });
  });

  it("resolves by keeping the sides named and rejecting the others with the resolver's reason", async () => {
    const [a, b] = [await draft(), await draft()];
    const conflict = await openConflict([a, b]);
    expect(await appError(decideReviewItem(first, conflict.itemId, { action: "approve", version: 1 }))).toMatchObject({ code: "invalid" });
    expect(await appError(decideReviewItem(first, a.itemId, { action: "resolve", version: 1, keep: [a.artifactId] }))).toMatchObject({ code: "invalid" });
    expect((await appError(decideReviewItem(first, conflict.itemId, { action: "resolve", version: 1, keep: ["stranger"] }))).message).toMatch(/stranger is not a drafted side/);
    expect(await appError(decideReviewItem(first, conflict.itemId, { action: "resolve", version: 1, keep: [a.artifactId, b.artifactId] }))).toMatchObject({ code: "invalid" });
    expect(await appError(decideReviewItem(first, conflict.itemId, { action: "resolve", version: 2, keep: [a.artifactId] }))).toMatchObject({ code: "conflict", details: { reason: "stale_version" } });

    const result = await decideReviewItem(first, conflict.itemId, { action: "resolve", version: 1, keep: [a.artifactId], comment: "Renewals go online." });
    expect(result).toMatchObject({ action: "resolve", artifactId: null, status: "resolved", version: 1 });

    const resolved = await db().conflict.findUniqueOrThrow({ where: { id: conflict.conflictId } });
    expect(resolved).toMatchObject({ status: "resolved", resolution: { keep: [a.artifactId], comment: "Renewals go online.", by: first.email } });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    expect(await decisionsOf(conflict.itemId)).toMatchObject([{ id: result.id, action: "resolve", artifactId: null, label: "resolved", comment: "Renewals go online.", changedFields: null, editDistance: null }]);

    // The side not kept: rejected, its review closed with the resolver's decision, labelled.
    expect(await db().artifact.findUniqueOrThrow({ where: { id: b.artifactId } })).toMatchObject({ status: "rejected" });
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: b.itemId } })).toMatchObject({ status: "decided" });
    expect(await decisionsOf(b.itemId)).toMatchObject([
      { action: "reject", label: "rejected", comment: `Not kept when ${conflict.ref} was resolved: Renewals go online.`, changedFields: [], editDistance: 0, durationMs: null, decidedById: first.userId },
    ]);
    expect(await db().draftLabel.findUniqueOrThrow({ where: { artifactId: b.artifactId } })).toMatchObject({ outcome: "rejected", correct: false, durationMs: null });
    const events = await db().auditEvent.findMany({ where: { subjectId: { in: [conflict.conflictId, b.artifactId] } }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["review.rejected", "conflict.resolved"]);
    expect(events[1].after).toEqual({ ref: conflict.ref, status: "resolved", kept: [a.ref], rejected: [b.ref] });

    // The side kept stays in the queue for its own review, and may now be approved.
    expect(await db().reviewItem.findUniqueOrThrow({ where: { id: a.itemId } })).toMatchObject({ status: "pending" });
    await decideReviewItem(second, a.itemId, { action: "approve", version: 1 });
    expect(await appError(decideReviewItem(first, conflict.itemId, { action: "resolve", version: 1, keep: [a.artifactId], comment: "Again." }))).toMatchObject({
      code: "conflict",
      details: { reason: "already_decided" },
    });
  });
});
