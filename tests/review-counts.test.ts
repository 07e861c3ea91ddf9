import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { createProject } from "@/lib/projects/service";
import { reviewQueueCounts } from "@/lib/review/counts";
import { listNarrowing, matchesFilter, queueFilterSchema, type FilterableItem, type QueueFilter } from "@/lib/review/queue-filter";
import { listReviewItems } from "@/lib/review/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";

/**
 * The queue's counts are exact, and count what the browser's filter shows: for each filter,
 * the SQL count equals the number of seeded pending items the shared predicate accepts.
 */
const now = new Date(Date.UTC(2026, 5, 10, 12));
const stepKinds = { "synthesize-requirements": "requirement", "draft-user-stories": "user_story" };

let admin: UserActor;
let reviewer: UserActor;
let other: UserActor;
let projectId: string;
let otherProjectId: string;
type Seeded = FilterableItem & { projectId: string; status: string };
const seeded: Seeded[] = [];

const reasonCycle = [[{ code: "low_confidence" }], [{ code: "audit_sample" }], [{ code: "quality_flag" }, { code: "low_confidence" }], [{ code: "edited" }]];

async function seed(project: string, count: number) {
  const stage = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId: project, key: "requirements" } } });
  const run = await db().run.create({ data: { projectId: project, stageId: stage.id, status: "waiting_review", createdById: admin.userId } });
  const step = await db().stepRun.create({ data: { runId: run.id, key: "synthesize-requirements", position: 0, status: "completed" } });
  for (let i = 0; i < count; i++) {
    const kind = i % 6 === 5 ? "conflict" : i % 3 === 0 ? "user_story" : "requirement";
    const status = i % 7 === 6 ? "decided" : "pending";
    const createdAt = new Date(now.getTime() - i * 9 * 3_600_000);
    const reasons = reasonCycle[i % reasonCycle.length].map((reason) => ({ ...reason, detail: "why" }));
    const held = i % 4 === 1 ? reviewer : i % 4 === 2 ? other : null;
    // One of mine has run out: an expired claim is nobody's.
    const claimExpiresAt = held ? new Date(now.getTime() + (i === 5 ? -60_000 : 600_000)) : null;
    const artifact =
      kind === "conflict"
        ? null
        : await db().artifact.create({
            data: { projectId: project, stageId: stage.id, runId: run.id, stepRunId: step.id, kind, ref: `X-${project.slice(-4)}-${i}`, status: "pending_review" },
          });
    const conflict =
      kind === "conflict"
        ? await db().conflict.create({ data: { projectId: project, stageId: stage.id, runId: run.id, ref: `CONF-${i}`, description: "disagree", sides: [] } })
        : null;
    await db().reviewItem.create({
      data: {
        projectId: project,
        stageId: stage.id,
        runId: run.id,
        kind: kind === "conflict" ? "conflict" : "draft",
        ...(conflict ? { conflictId: conflict.id } : { artifactId: artifact!.id }),
        version: 1,
        status,
        reasons,
        createdAt,
        claimedById: held?.userId ?? null,
        claimExpiresAt,
      },
    });
    seeded.push({
      projectId: project,
      status,
      kind,
      reasons,
      createdAt: createdAt.toISOString(),
      claim: held && claimExpiresAt! > now ? { mine: held === reviewer } : null,
    });
  }
}

function expected(filter: QueueFilter): number {
  return seeded.filter(
    (item) => item.status === "pending" && (!filter.projectId || item.projectId === filter.projectId) && matchesFilter(item, filter, stepKinds, now),
  ).length;
}

beforeAll(async () => {
  admin = await makeUser("admin@counts.test", "admin");
  reviewer = await makeUser("reviewer@counts.test");
  other = await makeUser("other@counts.test");
  projectId = (await createProject(admin, { name: "Counted" })).id;
  otherProjectId = (await createProject(admin, { name: "Not reviewed by me" })).id;
  await updateStageAssignments(admin, projectId, "requirements", { reviewerEmails: [reviewer.email, other.email] });
  await seed(projectId, 30);
  await seed(otherProjectId, 12);
});

const filters: Partial<QueueFilter>[] = [
  {},
  { kind: "requirement" },
  { kind: "conflict" },
  { step: "draft-user-stories" },
  { step: "draft-user-stories", kind: "requirement" },
  { reason: "low_confidence" },
  { reason: "edited", kind: "requirement" },
  { age: "1d" },
  { age: "7d", reason: "audit_sample" },
  { mine: "1" },
  { mine: "1", kind: "user_story" },
];

describe("review queue counts", () => {
  it.each(filters)("counts exactly what the filter shows (%o)", async (partial) => {
    const filter = queueFilterSchema.parse({ ...partial, projectId });
    const counts = await reviewQueueCounts(reviewer, filter, stepKinds, now);
    expect(counts.matching).toBe(expected(filter));
    expect(counts.mine).toBe(expected({ ...filter, mine: "1" }));
  });

  it("gives each option's count with the other filters applied", async () => {
    const filter = queueFilterSchema.parse({ projectId, age: "1d", kind: "requirement", reason: "audit_sample" });
    const counts = await reviewQueueCounts(reviewer, filter, stepKinds, now);
    for (const kind of ["requirement", "user_story", "conflict"]) {
      expect(counts.byKind[kind] ?? 0, kind).toBe(expected({ ...filter, kind }));
    }
    for (const reason of ["low_confidence", "audit_sample", "quality_flag", "edited", "conflict"] as const) {
      expect(counts.byReason[reason], reason).toBe(expected({ ...filter, reason }));
    }
  });

  it("sees only the stages the reviewer reviews; an admin sees every stage", async () => {
    const mine = await reviewQueueCounts(reviewer, queueFilterSchema.parse({}), stepKinds, now);
    expect(mine.matching).toBe(expected(queueFilterSchema.parse({ projectId })));
    const all = await reviewQueueCounts(admin, queueFilterSchema.parse({}), stepKinds, now);
    expect(all.matching).toBe(expected(queueFilterSchema.parse({})));
    expect(all.pendingInScope).toBe(seeded.filter((item) => item.status === "pending").length);
  });

  it("counts my decisions today, not undone ones nor other days", async () => {
    const items = await db().reviewItem.findMany({ where: { projectId, status: "decided" }, take: 3 });
    expect(items.length).toBe(3);
    const decision = (index: number, createdAt: Date, undoneAt: Date | null = null) =>
      db().reviewDecision.create({
        data: { reviewItemId: items[index].id, version: 1, action: "approve", decidedById: reviewer.userId, createdAt, undoneAt },
      });
    await decision(0, new Date(now.getTime() - 3_600_000));
    await decision(1, new Date(now.getTime() - 2 * 3_600_000), now);
    await decision(2, new Date(now.getTime() - 26 * 3_600_000));
    const counts = await reviewQueueCounts(reviewer, queueFilterSchema.parse({ projectId }), stepKinds, now);
    expect(counts.decidedToday).toBe(1);
    expect(counts.pendingInScope).toBe(expected(queueFilterSchema.parse({ projectId })));
  });

  describe("the list", () => {
    // The list reads the clock itself: it is the counts' clock here, so ages and claims agree.
    beforeAll(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(now);
    });
    afterAll(() => vi.useRealTimers());

    // A filter naming a kind of draft leaves conflicts out of the page; the rest narrow drafts and conflicts alike.
    it.each(filters.filter((partial) => partial.kind !== "conflict" && !(partial.step && partial.kind)))(
      "holds exactly the items the filter counts, page by page (%o)",
      async (partial) => {
        const filter = queueFilterSchema.parse({ ...partial, projectId });
        const query = { status: "pending" as const, ...listNarrowing(filter, stepKinds), limit: 4 };
        const ids: string[] = [];
        for (let cursor: string | undefined, pages = 0; pages < 20; pages++) {
          const page = await listReviewItems(reviewer, { ...query, ...(cursor ? { cursor } : {}) });
          ids.push(...page.items.map((item) => item.id));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(expected(filter));
        expect(ids.length).toBe((await reviewQueueCounts(reviewer, filter, stepKinds, now)).matching);
      },
    );
  });

  it("drops filter values it does not know instead of failing the page", () => {
    expect(queueFilterSchema.parse({ stage: "nowhere", age: "forever", reason: "R13", sort: "random", mine: "yes" })).toEqual({ sort: "oldest" });
  });
});
