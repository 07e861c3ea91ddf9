import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { createProject } from "@/lib/projects/service";
import { queuePage } from "@/lib/review/queue-page";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { pendingReviewCount } from "@/lib/review/views";
import type { ReviewQuery } from "@/lib/review/schema";
import { directStatement } from "@/lib/sql/direct";
import { sql } from "@/lib/sql/statements";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";

/**
 * The queue reads each stage/status/kind lane in index order and merges the lanes' heads. These
 * tests check the merge gives the same answer as one big sorted list would: every visible item
 * once, in (createdAt, id) order, across stages, kinds and statuses, with ties on createdAt.
 */
type Seeded = { id: string; stageId: string; status: string; createdAt: Date; approvalChance: number };
/** Chances that repeat, so the risk order too must fall back to age, then id. */
const CHANCES = [0.2, 0.5, 0.9, 0.5, 0.2];

let admin: UserActor;
let reviewer: UserActor;
let outsider: UserActor;
let seeded: Seeded[];
const reviewedStageIds: string[] = [];
const runIds: string[] = [];

async function seedStage(projectId: string, itemCount: number, offset: number): Promise<void> {
  const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: "requirements" } } });
  const run = await db().run.create({ data: { projectId, stageId: stage.id, status: "waiting_review", createdById: admin.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed" } });
  runIds.push(run.id);
  for (let i = 0; i < itemCount; i++) {
    // Pairs of items share a creation time, so the order must fall back to the id.
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor((offset + i) / 2) * 1000);
    const status = i % 5 === 4 ? "decided" : "pending";
    const artifact = await db().artifact.create({
      data: { projectId, stageId: stage.id, runId: run.id, stepRunId: step.id, kind: "requirement", ref: `REQ-${offset + i}`, status: status === "decided" ? "approved" : "pending_review" },
    });
    await db().artifactVersion.create({
      data: { artifactId: artifact.id, version: 1, content: { statement: `Statement ${offset + i}`, category: "functional", sources: [], unsure: null } },
    });
    const kind = i % 7 === 3 ? "conflict" : "draft";
    const conflict =
      kind === "conflict"
        ? await db().conflict.create({ data: { projectId, stageId: stage.id, runId: run.id, ref: `CONF-${offset + i}`, description: "disagree", sides: [] } })
        : null;
    const item = await db().reviewItem.create({
      data: {
        projectId,
        stageId: stage.id,
        runId: run.id,
        kind,
        ...(conflict ? { conflictId: conflict.id } : { artifactId: artifact.id }),
        version: 1,
        status,
        reasons: [],
        createdAt,
        approvalChance: kind === "conflict" ? 0 : CHANCES[(offset + i) % CHANCES.length],
      },
    });
    seeded.push({ id: item.id, stageId: stage.id, status, createdAt, approvalChance: item.approvalChance });
  }
}

function expected(filter: (item: Seeded) => boolean, sort: "oldest" | "risk" = "oldest"): string[] {
  const byAge = (a: Seeded, b: Seeded) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return seeded
    .filter(filter)
    .sort(sort === "risk" ? (a, b) => a.approvalChance - b.approvalChance || byAge(a, b) : byAge)
    .map((item) => item.id);
}

async function walk(actor: UserActor, query: Omit<ReviewQuery, "cursor">): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReviewItems(actor, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  admin = await makeUser("admin@queue.test", "admin");
  reviewer = await makeUser("reviewer@queue.test");
  outsider = await makeUser("outsider@queue.test");
  seeded = [];
  for (let p = 0; p < 3; p++) {
    const projectId = (await createProject(admin, { name: `Queue ${p}` })).id;
    // The reviewer reviews the first two projects' stages, not the third's.
    if (p < 2) await updateStageAssignments(admin, projectId, "requirements", { reviewerEmails: [reviewer.email] });
    await seedStage(projectId, 23, p * 7);
    if (p < 2) reviewedStageIds.push(seeded[seeded.length - 1].stageId);
  }
});

describe("the review queue", () => {
  it("pages through a reviewer's stages in (createdAt, id) order, each item once, and counts them exactly", async () => {
    const visible = expected((item) => item.status === "pending" && reviewedStageIds.includes(item.stageId));
    for (const limit of [1, 4, 50]) expect(await walk(reviewer, { status: "pending", limit })).toEqual(visible);
    expect(await pendingReviewCount(reviewer)).toBe(visible.length);
    expect(await walk(outsider, { status: "pending", limit: 5 })).toEqual([]);
    expect(await pendingReviewCount(outsider)).toBe(0);
  });

  it("pages riskiest first across the whole queue: lowest chance of approval, then oldest, then id", async () => {
    const visible = (item: Seeded) => item.status === "pending" && reviewedStageIds.includes(item.stageId);
    for (const limit of [1, 4, 50]) expect(await walk(reviewer, { status: "pending", limit, sort: "risk" })).toEqual(expected(visible, "risk"));
    expect(await walk(admin, { status: "all", limit: 7, sort: "risk" })).toEqual(expected(() => true, "risk"));
    expect(await walk(reviewer, { status: "pending", kind: "draft", limit: 3, reason: "edited", sort: "risk" })).toEqual([]);
  });

  it("filters by kind and status, and an admin sees every stage", async () => {
    const conflicts = await walk(reviewer, { status: "pending", kind: "conflict", limit: 2 });
    const conflictIds = new Set((await db().reviewItem.findMany({ where: { kind: "conflict" }, select: { id: true } })).map((item) => item.id));
    expect(conflicts).toEqual(expected((item) => item.status === "pending" && reviewedStageIds.includes(item.stageId) && conflictIds.has(item.id)));
    expect(await walk(admin, { status: "all", limit: 7 })).toEqual(expected(() => true));
    expect(await walk(admin, { status: "decided", limit: 3 })).toEqual(expected((item) => item.status === "decided"));
  });

  it("gives an admin who did not narrow the queue the rights they hold in each item's stage", async () => {
    // A second admin reviews the first project's stage only: admins see every stage but decide only where they review.
    const second = await makeUser("second-admin@queue.test", "admin");
    const stage = await db().stage.findUniqueOrThrow({ where: { id: reviewedStageIds[0] } });
    await updateStageAssignments(admin, stage.projectId, "requirements", { reviewerEmails: [reviewer.email, second.email] });
    const all = await listReviewItems(second, { status: "all", limit: 100 });
    expect(all.items.map((item) => item.id).sort()).toEqual(seeded.map((item) => item.id).sort());
    for (const item of all.items) expect([item.id, item.canDecide]).toEqual([item.id, seeded.find((s) => s.id === item.id)!.stageId === stage.id]);
    const narrowed = await listReviewItems(second, { projectId: stage.projectId, status: "all", limit: 100 });
    expect(narrowed.items.every((item) => item.canDecide)).toBe(true);
    await updateStageAssignments(admin, stage.projectId, "requirements", { reviewerEmails: [reviewer.email] });
  });

  it("reads a page and the rights in its stages in one statement on PostgreSQL, in two on SQLite", async () => {
    const { queryable } = directStatement(db(), sql`SELECT ${1}`)!;
    const statements = vi.spyOn(queryable, "queryRaw");
    for (const actor of [reviewer, admin]) {
      statements.mockClear();
      const rows = await queuePage(actor, { status: "pending", limit: 4 });
      expect(rows.map((row) => row.id)).toEqual(expected((item) => item.status === "pending" && (actor === admin || reviewedStageIds.includes(item.stageId))).slice(0, 5));
      expect(rows.every((row) => row.mayDecideStage === (actor === reviewer))).toBe(true);
      expect(statements).toHaveBeenCalledTimes(queryable.provider === "postgres" ? 1 : 2);
    }
    statements.mockRestore();
  });

  it("refuses a cursor it did not give out, and the queue is unchanged", async () => {
    const before = await walk(reviewer, { status: "pending", limit: 50 });
    const error = await listReviewItems(reviewer, { status: "pending", limit: 5, cursor: "no-such-item" }).catch(toAppError);
    expect(error).toMatchObject({ code: "invalid" });
    // The statement reads the cursor itself: an empty page is told apart from an unknown cursor, whoever asks.
    expect(await listReviewItems(outsider, { status: "pending", limit: 5, cursor: "no-such-item" }).catch(toAppError)).toMatchObject({ code: "invalid" });
    expect(await listReviewItems(reviewer, { status: "pending", limit: 5, cursor: before[before.length - 1] })).toEqual({ items: [], nextCursor: null });
    expect(await walk(reviewer, { status: "pending", limit: 50 })).toEqual(before);
  });

  it("resumes the run when its last pending item is decided, not before", async () => {
    const runId = runIds[0];
    const pending = await db().reviewItem.findMany({ where: { runId, status: "pending", kind: "draft" }, orderBy: { id: "asc" } });
    // Conflicts are decided by resolving; close them so only the drafts remain.
    await db().reviewItem.updateMany({ where: { runId, status: "pending", kind: "conflict" }, data: { status: "decided" } });
    await db().conflict.updateMany({ where: { runId }, data: { status: "resolved" } });
    for (const [index, item] of pending.entries()) {
      await decideReviewItem(reviewer, item.id, { action: "approve", version: 1 });
      const run = await db().run.findUniqueOrThrow({ where: { id: runId } });
      expect(run.status).toBe(index === pending.length - 1 ? "queued" : "waiting_review");
    }
    expect(await db().run.findUniqueOrThrow({ where: { id: runIds[1] } })).toMatchObject({ status: "waiting_review" });
  });
});
