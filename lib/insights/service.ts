import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { date, empty, join, selectRows, sql, type Sql } from "@/lib/sql/statements";
import {
  automationFigures,
  CONFLICTS_STEP,
  costFigures,
  cycleTimeFigures,
  periodsOf,
  qualityFigures,
  reviewerLoadFigures,
  waitingFigures,
  type CostRow,
  type DecisionRow,
  type LabelRow,
  type PendingItem,
  type RoutingRow,
  type SignOffRound,
} from "./figures";
import { insightsQuerySchema, resolveRange, type Insights, type InsightsQuery, type InsightsRange } from "./schema";

/**
 * Reads the insights figures in a handful of grouped statements (one per figure, written for
 * SQLite and PostgreSQL), so the work grows with the number of days, models, steps and people,
 * not with the hundreds of thousands of model calls and decisions behind them. Only the waits
 * need one row per item, since medians cannot be summed.
 */
export async function insightsFor(actor: UserActor, query: InsightsQuery, now = new Date()): Promise<Insights> {
  const parsed = insightsQuerySchema.parse(query);
  const range = resolveRange(parsed, now);
  const scope = await scopeFor(actor, parsed.projectId);
  const rangeOut = { from: range.from, to: range.to, interval: range.interval, periods: periodsOf(range) };
  const noActivity = scope.projectIds?.length === 0;

  const [costRows, budget, routingRows, decisionRows, labelRows, rounds, waits] = noActivity
    ? [[], null, [], [], [], [], { pending: [], decidedItems: [], decisions: [] }]
    : await Promise.all([
        readCost(scope, range),
        readBudget(scope, range),
        readRouting(scope, range),
        readDecisions(scope, range),
        readLabels(scope, range),
        readSignOffs(scope, range),
        readWaits(scope, range, now),
      ]);
  const names = await namesOf([...decisionRows.map((row) => row.reviewerId), ...waits.pending.flatMap((item) => item.waitingOn), ...waits.decisions.map((d) => d.reviewerId)]);
  return {
    scope: { projectId: scope.project?.id ?? null, projectName: scope.project?.name ?? null, projects: scope.projectCount },
    range: rangeOut,
    generatedAt: now.toISOString(),
    cost: costFigures(costRows, range, budget),
    automation: automationFigures(routingRows, range),
    reviewerLoad: reviewerLoadFigures(decisionRows, range, names),
    quality: qualityFigures(labelRows),
    cycleTime: cycleTimeFigures(rounds),
    waiting: waitingFigures(waits, now, names),
  };
}

type Scope = {
  /** null: every project (an admin who named none). */
  projectIds: string[] | null;
  project: { id: string; name: string; budgetUsd: number | null } | null;
  projectCount: number;
};

/** One project the caller may read, or every project they can: admins all, members theirs. */
async function scopeFor(actor: UserActor, projectId: string | undefined): Promise<Scope> {
  if (projectId) {
    await assertCan(actor, "insights:read", { projectId });
    const project = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true, name: true, budgetUsd: true } });
    return { projectIds: [project.id], project, projectCount: 1 };
  }
  if (actor.role === "admin") return { projectIds: null, project: null, projectCount: await db().project.count() };
  const memberships = await db().projectMember.findMany({ where: { userId: actor.userId }, select: { projectId: true } });
  return { projectIds: memberships.map((m) => m.projectId), project: null, projectCount: memberships.length };
}

function inScope(scope: Scope, column: Sql): Sql {
  return scope.projectIds === null ? empty : sql`AND ${column} IN (${join(scope.projectIds)})`;
}

/** A timestamp column's UTC day as YYYY-MM-DD (SQLite keeps ISO 8601 text, PostgreSQL timestamp(3) in UTC). */
function dayOf(column: Sql): Sql {
  return databaseProvider() === "sqlite" ? sql`substr(${column}, 1, 10)` : sql`to_char(${column}, 'YYYY-MM-DD')`;
}

// Counts and sums come back as bigint, number or numeric text depending on the database.
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

async function readCost(scope: Scope, range: InsightsRange): Promise<CostRow[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db(),
    sql`SELECT ${dayOf(sql`mc."startedAt"`)} AS "day", mc."model" AS "model", s."key" AS "stage",
        SUM(mc."costUsd") AS "costUsd", COUNT(*) AS "calls",
        SUM(CASE WHEN mc."status" = 'ok' THEN 0 ELSE 1 END) AS "failedCalls",
        SUM(mc."inputTokens") AS "inputTokens", SUM(mc."outputTokens") AS "outputTokens", SUM(mc."latencyMs") AS "latencyMs"
      FROM "ModelCall" mc
      JOIN "Run" r ON r."id" = mc."runId"
      JOIN "Stage" s ON s."id" = r."stageId"
      WHERE mc."startedAt" >= ${range.start} AND mc."startedAt" < ${range.end} ${inScope(scope, sql`mc."projectId"`)}
      GROUP BY 1, 2, 3`,
  );
  return rows.map((row) => ({
    day: String(row.day),
    model: String(row.model),
    stage: row.stage as StageKey,
    costUsd: num(row.costUsd),
    calls: num(row.calls),
    failedCalls: num(row.failedCalls),
    inputTokens: num(row.inputTokens),
    outputTokens: num(row.outputTokens),
    latencyMs: num(row.latencyMs),
  }));
}

/** A single project's budget and what it spent before the range; null otherwise. */
async function readBudget(scope: Scope, range: InsightsRange): Promise<{ budgetUsd: number; spentBeforeUsd: number } | null> {
  const budgetUsd = scope.project?.budgetUsd;
  if (!scope.project || budgetUsd === null || budgetUsd === undefined) return null;
  const before = await db().modelCall.aggregate({ _sum: { costUsd: true }, where: { projectId: scope.project.id, startedAt: { lt: range.start } } });
  return { budgetUsd, spentBeforeUsd: before._sum.costUsd ?? 0 };
}

async function readRouting(scope: Scope, range: InsightsRange): Promise<RoutingRow[]> {
  // Decisions recorded before steps were named on them take the step that drafted the artifact.
  const rows = await selectRows<Record<string, unknown>>(
    db(),
    sql`SELECT ${dayOf(sql`rd."createdAt"`)} AS "day", COALESCE(NULLIF(rd."stepKey", ''), sr."key") AS "stepKey",
        COUNT(*) AS "routed", SUM(CASE WHEN rd."outcome" = 'auto_approve' THEN 1 ELSE 0 END) AS "autoApproved"
      FROM "RoutingDecision" rd
      JOIN "Artifact" a ON a."id" = rd."artifactId"
      JOIN "StepRun" sr ON sr."id" = a."stepRunId"
      WHERE rd."createdAt" >= ${range.start} AND rd."createdAt" < ${range.end} ${inScope(scope, sql`a."projectId"`)}
      GROUP BY 1, 2`,
  );
  return rows.map((row) => ({ day: String(row.day), stepKey: String(row.stepKey), routed: num(row.routed), autoApproved: num(row.autoApproved) }));
}

async function readDecisions(scope: Scope, range: InsightsRange): Promise<DecisionRow[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db(),
    sql`SELECT ${dayOf(sql`d."createdAt"`)} AS "day", COALESCE(sr."key", ${CONFLICTS_STEP}) AS "stepKey", d."decidedById" AS "reviewerId", COUNT(*) AS "decisions"
      FROM "ReviewDecision" d
      JOIN "ReviewItem" ri ON ri."id" = d."reviewItemId"
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "StepRun" sr ON sr."id" = a."stepRunId"
      WHERE d."createdAt" >= ${range.start} AND d."createdAt" < ${range.end} ${inScope(scope, sql`ri."projectId"`)}
      GROUP BY 1, 2, 3`,
  );
  return rows.map((row) => ({ day: String(row.day), stepKey: String(row.stepKey), reviewerId: String(row.reviewerId), decisions: num(row.decisions) }));
}

async function readLabels(scope: Scope, range: InsightsRange): Promise<LabelRow[]> {
  // The model of version 1: the draft as the model wrote it, which is what the label judges.
  const rows = await selectRows<Record<string, unknown>>(
    db(),
    sql`SELECT v."model" AS "model", dl."stepKey" AS "stepKey", dl."outcome" AS "outcome", COUNT(*) AS "count"
      FROM "DraftLabel" dl
      JOIN "Artifact" a ON a."id" = dl."artifactId"
      LEFT JOIN "ArtifactVersion" v ON v."artifactId" = dl."artifactId" AND v."version" = 1
      WHERE dl."createdAt" >= ${range.start} AND dl."createdAt" < ${range.end} ${inScope(scope, sql`a."projectId"`)}
      GROUP BY 1, 2, 3`,
  );
  return rows.map((row) => ({ model: row.model === null ? null : String(row.model), stepKey: String(row.stepKey), outcome: String(row.outcome), count: num(row.count) }));
}

/**
 * Sign-offs in the range with the start of the round each closed: the first version drafted in
 * the stage since its previous sign-off (any version, for the first one), or, when a reopened
 * stage was signed off again without a new draft, the moment it reopened.
 */
async function readSignOffs(scope: Scope, range: InsightsRange): Promise<SignOffRound[]> {
  const rows = await selectRows<{
    id: string;
    signedOffAt: Date | string;
    supersededAt: Date | string | null;
    stage: StageKey;
    projectId: string;
    projectName: string;
    previousAt: Date | string | null;
    reopenedAt: Date | string | null;
    firstDraftAt: Date | string | null;
  }>(
    db(),
    sql`SELECT so."id" AS "id", so."createdAt" AS "signedOffAt", so."supersededAt" AS "supersededAt", s."key" AS "stage",
        s."projectId" AS "projectId", p."name" AS "projectName", prev."createdAt" AS "previousAt", prev."supersededAt" AS "reopenedAt",
        (SELECT MIN(v."createdAt") FROM "ArtifactVersion" v JOIN "Artifact" a ON a."id" = v."artifactId"
          WHERE a."stageId" = so."stageId" AND v."createdAt" <= so."createdAt"
            AND (prev."createdAt" IS NULL OR v."createdAt" > prev."createdAt")) AS "firstDraftAt"
      FROM "SignOff" so
      JOIN "Stage" s ON s."id" = so."stageId"
      JOIN "Project" p ON p."id" = s."projectId"
      LEFT JOIN "SignOff" prev ON prev."id" = (
        SELECT earlier."id" FROM "SignOff" earlier
        WHERE earlier."stageId" = so."stageId" AND earlier."createdAt" < so."createdAt"
        ORDER BY earlier."createdAt" DESC LIMIT 1)
      WHERE so."createdAt" >= ${range.start} AND so."createdAt" < ${range.end} ${inScope(scope, sql`s."projectId"`)}`,
  );
  return rows.map((row) => {
    const signedOffAt = date(row.signedOffAt)!;
    return {
      id: row.id,
      stage: row.stage,
      projectId: row.projectId,
      projectName: row.projectName,
      startedAt: date(row.firstDraftAt) ?? date(row.reopenedAt) ?? date(row.previousAt) ?? signedOffAt,
      signedOffAt,
      superseded: row.supersededAt !== null,
    };
  });
}

/**
 * What waits now (pending items, whatever the range) and how long what was decided in the
 * range had waited. A pending item waits on whoever holds a live claim on it, else on the
 * stage's reviewers; one awaiting adjudication waits on the stage owner.
 */
async function readWaits(scope: Scope, range: InsightsRange, now: Date) {
  const [pendingRows, decidedRows, decisionRows] = await Promise.all([
    selectRows<{ stageId: string; stage: StageKey; status: string; createdAt: Date | string; claimedById: string | null; claimExpiresAt: Date | string | null; ownerId: string | null }>(
      db(),
      sql`SELECT ri."stageId" AS "stageId", s."key" AS "stage", ri."status" AS "status", ri."createdAt" AS "createdAt",
          ri."claimedById" AS "claimedById", ri."claimExpiresAt" AS "claimExpiresAt", s."ownerId" AS "ownerId"
        FROM "ReviewItem" ri JOIN "Stage" s ON s."id" = ri."stageId"
        WHERE ri."status" IN ('pending', 'needs_adjudication') ${inScope(scope, sql`ri."projectId"`)}`,
    ),
    selectRows<{ stage: StageKey; createdAt: Date | string; decidedAt: Date | string }>(
      db(),
      sql`SELECT s."key" AS "stage", ri."createdAt" AS "createdAt", ri."decidedAt" AS "decidedAt"
        FROM "ReviewItem" ri JOIN "Stage" s ON s."id" = ri."stageId"
        WHERE ri."status" = 'decided' AND ri."decidedAt" >= ${range.start} AND ri."decidedAt" < ${range.end} ${inScope(scope, sql`ri."projectId"`)}`,
    ),
    selectRows<{ reviewerId: string; decidedAt: Date | string; createdAt: Date | string }>(
      db(),
      sql`SELECT d."decidedById" AS "reviewerId", d."createdAt" AS "decidedAt", ri."createdAt" AS "createdAt"
        FROM "ReviewDecision" d JOIN "ReviewItem" ri ON ri."id" = d."reviewItemId"
        WHERE d."createdAt" >= ${range.start} AND d."createdAt" < ${range.end} ${inScope(scope, sql`ri."projectId"`)}`,
    ),
  ]);
  const stageIds = [...new Set(pendingRows.map((row) => row.stageId))];
  const reviewerRows = stageIds.length === 0 ? [] : await db().stageReviewer.findMany({ where: { stageId: { in: stageIds } }, select: { stageId: true, userId: true } });
  const reviewersOf = new Map<string, string[]>();
  for (const row of reviewerRows) reviewersOf.set(row.stageId, [...(reviewersOf.get(row.stageId) ?? []), row.userId]);

  const pending: PendingItem[] = pendingRows.map((row) => {
    const claimLive = row.claimedById !== null && (date(row.claimExpiresAt)?.getTime() ?? 0) > now.getTime();
    const waitingOn =
      row.status === "needs_adjudication" ? (row.ownerId ? [row.ownerId] : []) : claimLive ? [row.claimedById!] : (reviewersOf.get(row.stageId) ?? []);
    return { stage: row.stage, createdAt: date(row.createdAt)!, waitingOn };
  });
  const elapsed = (from: Date | string, to: Date | string) => date(to)!.getTime() - date(from)!.getTime();
  return {
    pending,
    decidedItems: decidedRows.map((row) => ({ stage: row.stage, waitMs: elapsed(row.createdAt, row.decidedAt) })),
    decisions: decisionRows.map((row) => ({ reviewerId: row.reviewerId, waitMs: elapsed(row.createdAt, row.decidedAt) })),
  };
}

async function namesOf(userIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const users = await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user.name]));
}
