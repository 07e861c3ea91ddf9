import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";
import { routingReasonCodes } from "@/lib/routing/schema";
import { empty, join, selectRow, selectRows, sql, type Sql } from "@/lib/sql/statements";
import { hasReason as hasReasonIn, itemConditions, visibleStageIds } from "./queue-page";
import { ageHours, allowedKinds, type QueueFilter } from "./queue-filter";

/**
 * Exact counts for the queue page: how many pending items match the filter, how many each
 * filter option would leave (the other filters applied), how many I hold, and how many I
 * decided today. Each figure is one grouped statement over the index ReviewItem(stageId,
 * status, kind, createdAt, id); nothing is loaded row by row. The rule is the one
 * queue-filter.ts applies in the browser.
 */
export type QueueCounts = {
  /** pending items matching every filter */
  matching: number;
  /** pending items I hold, with the other filters */
  mine: number;
  /** per option, with the other filters applied */
  byKind: Record<string, number>;
  byReason: Record<string, number>;
  /** decisions I made today (not undone) in the stages shown, and what is still pending there */
  decidedToday: number;
  pendingInScope: number;
};

const hasReason = (code: string): Sql => hasReasonIn(sql`ri."reasons"`, code);

function conditions(actor: UserActor, stageIds: string[] | null, filter: QueueFilter, stepKinds: Readonly<Record<string, string>>, now: Date): Sql[] {
  const kinds = allowedKinds(filter, stepKinds);
  return [
    sql`ri."status" = 'pending'`,
    stageIds === null ? null : sql`ri."stageId" IN (${join(stageIds)})`,
    kinds === null ? null : kinds.length === 0 ? sql`1 = 0` : sql`COALESCE(a."kind", 'conflict') IN (${join(kinds)})`,
    ...itemConditions(actor, { reason: filter.reason, waitingHours: filter.age && ageHours(filter.age), mine: filter.mine === "1" }, now, (name) => Prisma.raw(`ri."${name}"`)),
  ].filter((condition) => condition !== null);
}

const fromItems = sql`FROM "ReviewItem" ri LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"`;

async function countWhere(where: Sql[]): Promise<number> {
  const row = await selectRow<{ n: number | bigint }>(db(), sql`SELECT COUNT(*) AS "n" ${fromItems} WHERE ${join(where, " AND ")}`);
  return Number(row?.n ?? 0);
}

/** Start of the current day in UTC: "today" for the progress line. */
function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** The queue's counts for the actor and filter (`stepKinds`: each drafting step's kind). */
export async function reviewQueueCounts(
  actor: UserActor,
  filter: QueueFilter,
  stepKinds: Readonly<Record<string, string>>,
  now: Date = new Date(),
): Promise<QueueCounts> {
  if (filter.projectId) await assertCan(actor, "projects:read", { projectId: filter.projectId });
  const stageIds = await visibleStageIds(actor, filter);
  if (stageIds?.length === 0) return { matching: 0, mine: 0, byKind: {}, byReason: {}, decidedToday: 0, pendingInScope: 0 };
  const where = (changed: Partial<QueueFilter>) => conditions(actor, stageIds, { ...filter, ...changed }, stepKinds, now);

  const kindWhere = where({ kind: undefined, step: undefined });
  const reasonWhere = where({ reason: undefined });
  const [matching, mine, kindRows, reasonRow, pendingInScope, decided] = await Promise.all([
    countWhere(where({})),
    countWhere(where({ mine: "1" })),
    selectRows<{ kind: string; n: number | bigint }>(
      db(),
      sql`SELECT COALESCE(a."kind", 'conflict') AS "kind", COUNT(*) AS "n" ${fromItems} WHERE ${join(kindWhere, " AND ")} GROUP BY COALESCE(a."kind", 'conflict')`,
    ),
    selectRow<Record<string, number | bigint | null>>(
      db(),
      sql`SELECT ${join(
        routingReasonCodes.map((code, index) => sql`SUM(CASE WHEN ${hasReason(code)} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"r${index}"`)}`),
        ", ",
      )} ${fromItems} WHERE ${join(reasonWhere, " AND ")}`,
    ),
    countWhere(conditions(actor, stageIds, { sort: "oldest" }, stepKinds, now)),
    selectRow<{ n: number | bigint }>(
      db(),
      sql`SELECT COUNT(*) AS "n" FROM "ReviewDecision" d
        ${stageIds === null ? empty : sql`JOIN "ReviewItem" ri ON ri."id" = d."reviewItemId"`}
        WHERE d."decidedById" = ${actor.userId} AND d."createdAt" >= ${startOfDay(now)} AND d."undoneAt" IS NULL
        ${stageIds === null ? empty : sql`AND ri."stageId" IN (${join(stageIds)})`}`,
    ),
  ]);
  return {
    matching,
    mine,
    byKind: Object.fromEntries(kindRows.map((row) => [row.kind, Number(row.n)])),
    byReason: Object.fromEntries(routingReasonCodes.map((code, index) => [code, Number(reasonRow?.[`r${index}`] ?? 0)])),
    decidedToday: Number(decided?.n ?? 0),
    pendingInScope,
  };
}
