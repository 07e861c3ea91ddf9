import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { createProject } from "@/lib/projects/service";
import { listReviewItems } from "@/lib/review/service";
import { slaSweep, sweepSla } from "@/lib/sla/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { api, makeCaller } from "./api/api-client";
import { makeUser } from "./helpers";

/**
 * The SLA ladder with a controlled clock: each sweep is given `now`. An overdue item reminds
 * its reviewers (or its claimer), then escalates to the stage owner, then to the fallback owner,
 * one rung per sweep and one SLA period apart; every rung is on the item and in the audit
 * trail, and nothing is ever decided by it.
 */
const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const plus = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MINUTE);

let admin: UserActor;
let owner: UserActor;
let first: UserActor;
let second: UserActor;
let fallback: UserActor;
let projectId: string;
let drafted = 0;

/** A pending draft in the stage, created at the given time. */
async function draft(stage: StageKey, createdAt: Date, extra: { claimedById?: string; claimExpiresAt?: Date } = {}) {
  drafted += 1;
  const row = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: stage } } });
  const run = await db().run.create({ data: { projectId, stageId: row.id, status: "completed", createdById: admin.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed", model: "offline" } });
  const artifact = await db().artifact.create({
    data: { projectId, stageId: row.id, runId: run.id, stepRunId: step.id, kind: "requirement", ref: `REQ-${drafted}`, status: "pending_review" },
  });
  await db().artifactVersion.create({
    data: { artifactId: artifact.id, version: 1, content: { statement: `Requirement ${drafted}.`, category: "functional", sources: [], unsure: null }, confidence: 0.7, stepRunId: step.id, model: "offline" },
  });
  const item = await db().reviewItem.create({
    data: { projectId, stageId: row.id, runId: run.id, artifactId: artifact.id, version: 1, reasons: [{ code: "low_confidence", detail: "0.70 < 0.95" }], createdAt, ...extra },
  });
  return { itemId: item.id, artifactId: artifact.id, ref: artifact.ref };
}

const itemOf = (id: string) => db().reviewItem.findUniqueOrThrow({ where: { id } });
const slaEventsOf = (id: string) => db().auditEvent.findMany({ where: { subjectId: id, action: { startsWith: "sla." } }, orderBy: { id: "asc" } });
const noticesFor = (user: UserActor, kind: string) => db().notification.findMany({ where: { userId: user.userId, kind } });

beforeAll(async () => {
  admin = await makeUser("admin@sla.test", "admin");
  owner = await makeUser("owner@sla.test");
  first = await makeUser("first@sla.test");
  second = await makeUser("second@sla.test");
  fallback = await makeUser("fallback@sla.test");
  projectId = (await createProject(admin, { name: "SLA" })).id;
  await updateStageAssignments(admin, projectId, "requirements", {
    ownerEmail: owner.email,
    reviewerEmails: [first.email, second.email],
    slaMinutes: 60,
    fallbackOwnerEmail: fallback.email,
  });
  await updateStageAssignments(admin, projectId, "planning", { ownerEmail: owner.email, reviewerEmails: [first.email], slaMinutes: 60, slaBusinessHours: true });
  // Reviewers but no SLA: the ladder never touches these items.
  await updateStageAssignments(admin, projectId, "design", { reviewerEmails: [first.email] });
  // A webhook subscribed to escalations receives each one.
  await db().webhook.create({ data: { url: "https://hooks.example.test/sla", events: ["sla.escalated"], secret: "s3cret", createdById: admin.userId } });
});

describe("the SLA ladder", () => {
  it("reminds the reviewers when due, then escalates to the owner and the fallback owner, one rung per sweep, never deciding", async () => {
    const created = at("2026-12-07T09:00:00Z");
    const item = await draft("requirements", created);

    await sweepSla(plus(created, 59));
    expect(await itemOf(item.itemId)).toMatchObject({ slaLevel: 0, dueAt: plus(created, 60), status: "pending" });
    expect(await slaEventsOf(item.itemId)).toEqual([]);

    await sweepSla(plus(created, 60));
    expect((await itemOf(item.itemId)).slaLevel).toBe(1);
    // The item's card says so.
    const { items } = await listReviewItems(first, { projectId, stage: "requirements", status: "pending", limit: 50 });
    // (The card reads the real clock, which the sweep's controlled one runs ahead of.)
    expect(items.find((candidate) => candidate.id === item.itemId)?.sla).toEqual({ dueAt: plus(created, 60).toISOString(), level: 1, overdue: Date.now() >= plus(created, 60).getTime() });
    expect((await noticesFor(first, "sla.reminded")).map((n) => n.message)).toEqual([expect.stringContaining(`Reminder: ${item.ref}`)]);
    expect(await noticesFor(second, "sla.reminded")).toHaveLength(1);
    expect(await noticesFor(owner, "sla.escalated")).toHaveLength(0);

    // The same minute again changes nothing: the sweep is idempotent.
    await sweepSla(plus(created, 60));
    expect(await slaEventsOf(item.itemId)).toHaveLength(1);

    // Hours late, the next sweep still climbs one rung only: the owner.
    const late = plus(created, 5 * 60);
    await sweepSla(late);
    expect((await itemOf(item.itemId)).slaLevel).toBe(2);
    expect(await noticesFor(owner, "sla.escalated")).toHaveLength(1);
    expect(await noticesFor(fallback, "sla.escalated")).toHaveLength(0);

    await sweepSla(late);
    expect((await itemOf(item.itemId)).slaLevel).toBe(3);
    expect((await noticesFor(fallback, "sla.escalated")).map((n) => n.message)).toEqual([expect.stringContaining("Nothing is decided automatically")]);

    // The ladder has ended; the item still waits for people.
    await sweepSla(plus(created, 30 * 24 * 60));
    const events = await slaEventsOf(item.itemId);
    expect(events.map((e) => [e.action, (e.after as { slaLevel: number; to: string }).slaLevel, (e.after as { to: string }).to, e.actorLabel])).toEqual([
      ["sla.reminded", 1, "reviewers", "sla"],
      ["sla.escalated", 2, "stage owner", "sla"],
      ["sla.escalated", 3, "fallback owner", "sla"],
    ]);
    expect((events[0].after as { notified: string[] }).notified).toEqual([first.email, second.email].sort());
    expect((events[2].after as { notified: string[] }).notified).toEqual([fallback.email]);
    expect(await itemOf(item.itemId)).toMatchObject({ status: "pending", decidedAt: null });
    expect((await db().artifact.findUniqueOrThrow({ where: { id: item.artifactId } })).status).toBe("pending_review");
    expect(await db().reviewDecision.count({ where: { reviewItemId: item.itemId } })).toBe(0);
    const deliveries = await db().webhookDelivery.findMany({ where: { event: "sla.escalated" } });
    expect(deliveries.map((d) => (JSON.parse(d.body) as { data: { reviewItemId: string; level: number } }).data).filter((d) => d.reviewItemId === item.itemId).map((d) => d.level)).toEqual([2, 3]);
  });

  it("reminds only the reviewer who holds a live claim", async () => {
    const created = at("2026-12-07T10:00:00Z");
    const item = await draft("requirements", created, { claimedById: second.userId, claimExpiresAt: plus(created, 24 * 60) });
    const before = (await noticesFor(first, "sla.reminded")).length;
    await sweepSla(plus(created, 61));
    expect((await itemOf(item.itemId)).slaLevel).toBe(1);
    expect((await slaEventsOf(item.itemId)).map((e) => (e.after as { notified: string[] }).notified)).toEqual([[second.email]]);
    expect(await noticesFor(first, "sla.reminded")).toHaveLength(before);
  });

  it("also tells whoever holds a reminded person's role through a live delegation", async () => {
    const standIn = await makeUser("stand-in@sla.test");
    const created = at("2026-12-08T09:00:00Z");
    await db().delegation.create({ data: { fromUserId: first.userId, toUserId: standIn.userId, projectId, startsAt: at("2026-12-08T00:00:00Z"), endsAt: at("2026-12-09T00:00:00Z") } });
    const item = await draft("requirements", created);
    await sweepSla(plus(created, 60));
    expect((await slaEventsOf(item.itemId)).map((e) => (e.after as { notified: string[] }).notified)).toEqual([[first.email, second.email, standIn.email].sort()]);
    expect(await noticesFor(standIn, "sla.reminded")).toHaveLength(1);
  });

  it("counts business hours: an item from Friday 16:30 with a 60-minute SLA falls due on Monday 09:30", async () => {
    const created = at("2026-12-04T16:30:00Z");
    const item = await draft("planning", created);
    await sweepSla(at("2026-12-05T12:00:00Z"));
    expect(await itemOf(item.itemId)).toMatchObject({ slaLevel: 0, dueAt: at("2026-12-07T09:30:00Z") });
    await sweepSla(at("2026-12-07T09:29:00Z"));
    expect((await itemOf(item.itemId)).slaLevel).toBe(0);
    await sweepSla(at("2026-12-07T09:30:00Z"));
    expect((await itemOf(item.itemId)).slaLevel).toBe(1);
    // No fallback owner: the ladder ends with the stage owner.
    await sweepSla(at("2026-12-07T10:30:00Z"));
    await sweepSla(at("2026-12-09T10:30:00Z"));
    expect((await itemOf(item.itemId)).slaLevel).toBe(2);
  });

  it("leaves decided items and stages without an SLA alone", async () => {
    const created = at("2026-12-01T09:00:00Z");
    const noSla = await draft("design", created);
    const decided = await draft("requirements", created);
    await db().reviewItem.update({ where: { id: decided.itemId }, data: { status: "decided", decidedAt: created } });
    await sweepSla(at("2026-12-20T09:00:00Z"));
    expect(await itemOf(noSla.itemId)).toMatchObject({ slaLevel: 0, dueAt: null });
    expect(await itemOf(decided.itemId)).toMatchObject({ slaLevel: 0, dueAt: null });
  });

  it("runs as the sla-sweep job", async () => {
    const item = await draft("requirements", new Date(Date.now() - 2 * 60 * MINUTE));
    await slaSweep.send({});
    expect(await slaSweep.drain()).toBeGreaterThanOrEqual(1);
    expect((await itemOf(item.itemId)).slaLevel).toBe(1);
  });
});

describe("SLA settings of a stage", () => {
  it("are set by the owner (time) and admins (fallback owner), shown on the stage, and audited", async () => {
    const apiAdmin = await makeCaller("admin@sla-api.test", "admin");
    const apiOwner = await makeCaller("owner@sla-api.test");
    const id = (await api(apiAdmin.token).ok("createProject", { json: { name: "SLA API" } })).id;
    await api(apiAdmin.token).ok("updateStage", { params: { id, key: "requirements" }, json: { ownerEmail: apiOwner.email } });

    const stage = await api(apiOwner.token).ok("updateStage", { params: { id, key: "requirements" }, json: { slaMinutes: 480, slaBusinessHours: true } });
    expect(stage.sla).toEqual({ minutes: 480, businessHours: true, fallbackOwner: null });
    expect((await api(apiOwner.token).call("updateStage", { params: { id, key: "requirements" }, json: { fallbackOwnerEmail: apiAdmin.email } })).status).toBe(403);
    const withFallback = await api(apiAdmin.token).ok("updateStage", { params: { id, key: "requirements" }, json: { fallbackOwnerEmail: apiAdmin.email } });
    expect(withFallback.sla.fallbackOwner?.email).toBe(apiAdmin.email);
    expect((await api(apiOwner.token).call("updateStage", { params: { id, key: "requirements" }, json: { slaMinutes: 0 } })).status).toBe(422);
    expect((await api(apiOwner.token).call("updateStage", { params: { id, key: "requirements" }, json: { slaMinutes: 1.5 } })).status).toBe(422);
    expect((await api(apiAdmin.token).call("updateStage", { params: { id, key: "requirements" }, json: { fallbackOwnerEmail: "nobody@sla-api.test" } })).status).toBe(422);

    const cleared = await api(apiOwner.token).ok("updateStage", { params: { id, key: "requirements" }, json: { slaMinutes: null } });
    expect(cleared.sla.minutes).toBeNull();
    const changes = await db().auditEvent.findMany({ where: { projectId: id, action: "stage.sla_changed" }, orderBy: { id: "asc" } });
    expect(changes.map((c) => (c.after as { slaMinutes: number | null }).slaMinutes)).toEqual([480, 480, null]);
    expect((changes[1].after as { fallbackOwnerEmail: string }).fallbackOwnerEmail).toBe(apiAdmin.email);
  });
});
