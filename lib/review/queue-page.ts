import type { UserActor } from "@/lib/actors";
import { actingFor, readRoleFacts, roleFactColumns, rolesFromFacts, type RoleFactsRow } from "@/lib/access";
import { can } from "@/lib/authz";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { invalid } from "@/lib/errors";
import { Prisma } from "@/lib/generated/sqlite/client";
import { date, flag as readFlag, limitOf, planNeutral, selectRows } from "@/lib/sql/statements";
import { ADJUDICATED_LABEL } from "./decision-store";
import { reviewItemKinds, type ReviewQuery } from "./schema";

/**
 * Reads a page of the review queue in a few plain SQL statements. The queue is read on every
 * visit and by every reviewer, over hundreds of thousands of items: each ORM query costs more
 * to build than the indexed read itself, so the page is one statement (plus the stage list and
 * the cited sources), written for both databases and run past the ORM's pipeline (lib/sql).
 */

/**
 * The stages the query may show, or null for every stage (an admin who did not narrow it). Ids
 * compared with an index's first column, or listed in IN, go through planNeutral: SQLite's planner
 * reads them, and would compile the statement again on every call.
 */
export async function visibleStageIds(actor: UserActor, query: Pick<ReviewQuery, "projectId" | "stage">): Promise<string[] | null> {
  const where = visibleStagesWhere(actor, query);
  if (!where) return null;
  const rows = await selectRows<{ id: string }>(db(), Prisma.sql`SELECT s."id" FROM "Stage" s WHERE ${where}`);
  return rows.map((row) => row.id);
}

function visibleStagesWhere(actor: UserActor, query: Pick<ReviewQuery, "projectId" | "stage">): Prisma.Sql | null {
  if (actor.role === "admin" && !query.projectId && !query.stage) return null;
  const conditions = [
    query.projectId ? Prisma.sql`s."projectId" = ${planNeutral(query.projectId)}` : null,
    query.stage ? Prisma.sql`s."key" = ${query.stage}` : null,
    actor.role === "admin"
      ? null
      : // Their own stages and those whose roles they hold through a live delegation (lib/delegations).
        Prisma.sql`(s."ownerId" IN (${actingFor(actor.userId, Prisma.sql`s."projectId"`, Prisma.sql`s."id"`)}) OR EXISTS (SELECT 1 FROM "StageReviewer" sr WHERE sr."stageId" = s."id" AND sr."userId" IN (${actingFor(actor.userId, Prisma.sql`s."projectId"`, Prisma.sql`s."id"`)})))`,
  ].filter((condition) => condition !== null);
  return Prisma.join(conditions, " AND ");
}

/** What the actor may do in each stage: whether they decide its items, and whether they own it. */
type StageRights = { mayDecide: boolean; owns: boolean };

function rightsOf(actor: UserActor, facts: RoleFactsRow): StageRights {
  const roles = rolesFromFacts(actor, readRoleFacts(facts));
  return { mayDecide: can(roles, "review:decide"), owns: can(roles, "review:adjudicate") };
}

/** The rights of the actor in the stages matching `where` (on "Stage" s), by stage id. */
async function stageRights(actor: UserActor, where: Prisma.Sql): Promise<Map<string, StageRights>> {
  const rows = await selectRows<{ id: string } & RoleFactsRow>(
    db(),
    Prisma.sql`SELECT s."id", ${roleFactColumns(actor.userId, Prisma.sql`s."projectId"`)} FROM "Stage" s WHERE ${where}`,
  );
  return new Map(rows.map((row) => [row.id, rightsOf(actor, row)]));
}

/**
 * A page of the queue, with the actor's rights in each of its stages (rights depend on the
 * stage, never on the item). On PostgreSQL one statement reads the stages the actor may see, their
 * rights, and each stage's lanes (LATERAL): every round trip and every statement costs the server
 * a wake-up. SQLite, in process, has no LATERAL: it reads the stages and their rights first, then
 * the page with each stage's lanes written out. An admin who did not narrow the query sees every
 * stage, so their rights are read for the page's stages only.
 */
export async function queuePage(actor: UserActor, query: ReviewQuery): Promise<QueueRow[]> {
  const where = visibleStagesWhere(actor, query);
  if (databaseProvider() === "postgresql") {
    const rows = await queuePageRows(actor, { stagesWhere: where }, query);
    return rows.map((row) => queueRow(row, rightsOf(actor, row)));
  }
  const rights = where ? await stageRights(actor, where) : null;
  const rows = await queuePageRows(actor, { stageIds: rights ? [...rights.keys()] : null }, query);
  const missing = [...new Set(rows.map((row) => row.stageId))].filter((id) => !rights?.has(id));
  const more = missing.length > 0 ? await stageRights(actor, Prisma.sql`s."id" IN (${Prisma.join(missing.map(planNeutral))})`) : new Map<string, StageRights>();
  const none: StageRights = { mayDecide: false, owns: false };
  return rows.map((row) => queueRow(row, rights?.get(row.stageId) ?? more.get(row.stageId) ?? none));
}

export type QueueRow = {
  id: string;
  kind: "draft" | "conflict";
  projectId: string;
  projectName: string;
  stageId: string;
  stageKey: string;
  status: string;
  version: number;
  reasons: Prisma.JsonValue;
  createdAt: Date;
  mayDecideStage: boolean;
  runStartedById: string | null;
  artifactId: string | null;
  artifactKind: string | null;
  ref: string | null;
  currentVersion: number | null;
  artifactStatus: string | null;
  content: Prisma.JsonValue;
  confidence: number | null;
  model: string | null;
  editedById: string | null;
  calibratedProbability: number | null;
  decisionAction: string | null;
  decisionComment: string | null;
  decisionAt: Date | null;
  decidedByEmail: string | null;
  decidedByName: string | null;
  conflictRef: string | null;
  conflictDescription: string | null;
  conflictSides: Prisma.JsonValue;
  /** The latest decision not undone: who made it (for undo) and the stage's status (reopen ends at sign-off). */
  decidedById: string | null;
  stageStatus: string;
  isStageOwner: boolean;
  requiredApprovals: number;
  approvals: number;
  approvedByMe: boolean;
  claimedById: string | null;
  claimExpiresAt: Date | null;
  claimedByEmail: string | null;
  claimedByName: string | null;
  /** Whom the latest decision was made for (a delegate's), and the stage's SLA ladder (lib/sla). */
  onBehalfOfEmail: string | null;
  onBehalfOfName: string | null;
  slaLevel: number;
  slaMinutes: number | null;
  slaBusinessHours: boolean;
};

/** A row of the page as the statement gives it, before the stage's rights are added (queuePage); the role facts come with it on PostgreSQL only. */
type RawRow = Omit<QueueRow, "mayDecideStage" | "isStageOwner" | "approvals" | "approvedByMe" | "claimExpiresAt" | "requiredApprovals" | "slaLevel" | "slaBusinessHours"> &
  RoleFactsRow & {
  slaLevel: unknown;
  slaBusinessHours: unknown;
  approvals: unknown;
  approvedByMe: unknown;
  requiredApprovals: unknown;
  claimExpiresAt: Date | string | null;
};

const reviewStatuses = ["pending", "needs_adjudication", "decided", "cancelled"] as const;
/** Each status and kind as SQL text: the enums' own constants, never a caller's value. */
const literal = Object.fromEntries([...reviewStatuses, ...reviewItemKinds].map((value) => [value, Prisma.raw(`'${value}'`)])) as Record<
  (typeof reviewStatuses)[number] | (typeof reviewItemKinds)[number],
  Prisma.Sql
>;

/** Whether a review item's reasons (JSON) hold a code. SQLite keeps the JSON as written; PostgreSQL prints jsonb with a space after the colon. */
export function hasReason(reasons: Prisma.Sql, code: string): Prisma.Sql {
  const text = Prisma.sql`CAST(${reasons} AS TEXT)`;
  return Prisma.sql`(${text} LIKE ${`%"code":"${code}"%`} OR ${text} LIKE ${`%"code": "${code}"%`})`;
}

export type ItemNarrowing = Pick<ReviewQuery, "skipClaimed" | "mine" | "waitingHours" | "reason">;

/**
 * The narrowing filters as conditions on review items, the one home of their rule: the list's
 * lanes and the queue's counts (counts.ts) both use it. `column` qualifies a column of ReviewItem
 * ("ri" in a join, bare in a lane). In a lane, each still walks its index in order and stops after
 * limit + 1 matches, so a filter costs the rows it passes over, never a sort.
 */
export function itemConditions(actor: UserActor, narrowing: ItemNarrowing, now: Date, column: (name: string) => Prisma.Sql = (name) => Prisma.raw(`"${name}"`)): Prisma.Sql[] {
  const [claimedBy, claimEnds, createdAt] = [column("claimedById"), column("claimExpiresAt"), column("createdAt")];
  return [
    narrowing.skipClaimed ? Prisma.sql`(${claimedBy} IS NULL OR ${claimedBy} = ${actor.userId} OR ${claimEnds} <= ${now})` : null,
    narrowing.mine ? Prisma.sql`${claimedBy} = ${actor.userId} AND ${claimEnds} > ${now}` : null,
    narrowing.waitingHours ? Prisma.sql`${createdAt} <= ${new Date(now.getTime() - narrowing.waitingHours * 3_600_000)}` : null,
    narrowing.reason ? hasReason(column("reasons"), narrowing.reason) : null,
  ].filter((condition) => condition !== null);
}

function laneFilters(actor: UserActor, query: ReviewQuery, now: Date): Prisma.Sql[] {
  return [
    ...itemConditions(actor, query, now),
    query.artifactKind ? Prisma.sql`EXISTS (SELECT 1 FROM "Artifact" fa WHERE fa."id" = "ReviewItem"."artifactId" AND fa."kind" = ${query.artifactKind})` : null,
  ].filter((condition) => condition !== null);
}

/**
 * Where the page's lanes are: each of these stages' (SQLite), or every stage's at once (null); or,
 * on PostgreSQL, each stage `stagesWhere` selects (on "Stage" s), every stage when null, with the
 * actor's role facts in each read in the same statement.
 */
type LaneScope = { stageIds: string[] | null } | { stagesWhere: Prisma.Sql | null };

/**
 * The page's rows in the order asked for (orderOf), one more than the limit when another page follows.
 * Each lane (a stage, status and kind) is read in the order of the index ReviewItem(stageId,
 * status, kind, createdAt, id), or (status, kind, createdAt, id) across every stage, and stops
 * after limit + 1 rows; merging the lanes' heads gives the page. The first page and a deep one
 * cost the same however many items wait, and nothing is sorted in bulk.
 */
async function queuePageRows(actor: UserActor, scope: LaneScope, query: ReviewQuery): Promise<RawRow[]> {
  const rows = await pageRows(actor, scope, query);
  // The statement reads the cursor's position itself; an unknown cursor leaves the page empty,
  // so only an empty page needs telling apart from a cursor this list never gave out.
  if (rows.length === 0 && query.cursor) await assertCursor(query.cursor);
  return rows;
}

async function pageRows(actor: UserActor, scope: LaneScope, query: ReviewQuery): Promise<RawRow[]> {
  if ("stageIds" in scope && scope.stageIds?.length === 0) return [];
  const statuses = query.status === "all" ? reviewStatuses : [query.status];
  // A kind of draft leaves conflicts out.
  const kinds = query.artifactKind ? (query.kind === "conflict" ? [] : (["draft"] as const)) : query.kind ? [query.kind] : reviewItemKinds;
  if (kinds.length === 0) return [];
  const take = query.limit + 1;
  const now = new Date();
  const filters = laneFilters(actor, query, now);
  // skipClaimed passes over items someone else holds a live claim on, so the next item is one the caller can take.
  const narrowed = filters.length > 0 ? Prisma.sql`AND ${Prisma.join(filters, " AND ")}` : Prisma.empty;
  const order = orderOf(query.sort);
  // The values that pick a lane's index are hidden from SQLite's planner (planNeutral; the status
  // and kind, enums, are written as the constants they are, the limit as a number: limitOf), so the
  // statement is compiled once, not on every call, and PostgreSQL keeps one plan for it.
  const limit = limitOf(take);
  const lanesOf = (stage: Prisma.Sql | null) =>
    Prisma.join(
      statuses.flatMap((status) =>
        kinds.map(
          (kind) => Prisma.sql`SELECT * FROM (SELECT ${order.columns} FROM "ReviewItem"
          WHERE ${stage === null ? Prisma.empty : Prisma.sql`"stageId" = ${stage} AND `}"status" = ${literal[status]} AND "kind" = ${literal[kind]}
          ${query.cursor ? Prisma.sql`AND (${order.columns}) > (SELECT ${order.cursorColumns} FROM "ReviewItem" cur WHERE cur."id" = ${query.cursor})` : Prisma.empty} ${narrowed}
          ORDER BY ${order.columns} LIMIT ${limit}) AS lane`,
        ),
      ),
      " UNION ALL ",
    );
  // PostgreSQL reads the actor's role facts per stage in the statement (the CTE "visible"): before
  // the page when they pick its stages, each with its lanes beside it (LATERAL); after the items,
  // for the page's stages, when an admin did not narrow the query and every stage's lanes are read.
  const visible = (where: Prisma.Sql) =>
    Prisma.sql`visible AS MATERIALIZED (SELECT s."id", ${roleFactColumns(actor.userId, Prisma.sql`s."projectId"`)} FROM "Stage" s WHERE ${where})`;
  let lanes = Prisma.sql`(${lanesOf(null)}) AS lanes`;
  let stagesFirst: Prisma.Sql | null = null;
  let stagesLast: Prisma.Sql | null = null;
  if ("stageIds" in scope) {
    if (scope.stageIds) lanes = Prisma.sql`(${Prisma.join(scope.stageIds.map((id) => lanesOf(planNeutral(id))), " UNION ALL ")}) AS lanes`;
  } else if (scope.stagesWhere) {
    stagesFirst = visible(scope.stagesWhere);
    lanes = Prisma.sql`visible vs CROSS JOIN LATERAL (${lanesOf(Prisma.raw(`vs."id"`))}) AS lanes`;
  } else {
    stagesLast = visible(Prisma.sql`s."id" IN (SELECT "stageId" FROM items)`);
  }
  const flag = (condition: Prisma.Sql) => Prisma.sql`CASE WHEN ${condition} THEN 1 ELSE 0 END`;
  // Two steps, each a small problem for the planner: the page's items with what is counted or
  // looked up per item (items, materialized), then one row each from the tables they point to.
  // As one flat join with the subqueries in it, PostgreSQL spent several times the execution
  // planning the statement, on every call (scripts/bench-scale.ts). Every item has a stage and a
  // project, so LEFT JOIN gives the same rows; it keeps the page's items the outer loop, where
  // SQLite 3.49 scanned the few projects first and built an index over the items on every call
  // (0.87 -> 0.80 ms raw at 100k pending).
  const rows = await selectRows<RawRow>(db(), Prisma.sql`
    WITH ${stagesFirst ? Prisma.sql`${stagesFirst},` : Prisma.empty}
    page AS (SELECT ${order.laneColumns} FROM ${lanes} ORDER BY ${order.laneColumns} LIMIT ${limit}),
    items AS MATERIALIZED (SELECT ri."id", ri."kind", ri."projectId", ri."stageId", ri."status", ri."version", ri."reasons", ri."createdAt", ri."approvalChance",
      ri."runId", ri."artifactId", ri."conflictId", ri."requiredApprovals", ri."claimedById", ri."claimExpiresAt", ri."slaLevel",
      (SELECT d2."id" FROM "ReviewDecision" d2 WHERE d2."reviewItemId" = ri."id" AND d2."undoneAt" IS NULL ORDER BY d2."createdAt" DESC LIMIT 1) AS "decisionId",
      (SELECT rt."calibratedProbability" FROM "RoutingDecision" rt WHERE rt."artifactId" = ri."artifactId" AND rt."version" = ri."version" ORDER BY rt."createdAt" DESC LIMIT 1) AS "calibratedProbability",
      (SELECT COUNT(*) FROM "ReviewDecision" lv WHERE lv."reviewItemId" = ri."id" AND lv."undoneAt" IS NULL AND lv."action" = 'approve' AND COALESCE(lv."label", '') <> ${ADJUDICATED_LABEL}) AS "approvals",
      ${flag(Prisma.sql`EXISTS (SELECT 1 FROM "ReviewDecision" lv WHERE lv."reviewItemId" = ri."id" AND lv."undoneAt" IS NULL AND lv."action" = 'approve' AND lv."decidedById" = ${planNeutral(actor.userId)})`)} AS "approvedByMe"
      FROM page JOIN "ReviewItem" ri ON ri."id" = page."id")${stagesLast ? Prisma.sql`, ${stagesLast}` : Prisma.empty}
    SELECT ri."id", ri."kind", ri."projectId", p."name" AS "projectName", ri."stageId", s."key" AS "stageKey", ri."status", ri."version",
      ri."reasons", ri."createdAt",
      r."createdById" AS "runStartedById",
      a."id" AS "artifactId", a."kind" AS "artifactKind", a."ref", a."currentVersion", a."status" AS "artifactStatus",
      v."content", v."confidence", v."model", v."editedById",
      ri."calibratedProbability",
      d."action" AS "decisionAction", d."comment" AS "decisionComment", d."createdAt" AS "decisionAt", u."email" AS "decidedByEmail", u."name" AS "decidedByName",
      c."ref" AS "conflictRef", c."description" AS "conflictDescription", c."sides" AS "conflictSides",
      d."decidedById", s."status" AS "stageStatus", ri."requiredApprovals", ri."approvals", ri."approvedByMe",
      ri."claimedById", ri."claimExpiresAt", cu."email" AS "claimedByEmail", cu."name" AS "claimedByName",
      ob."email" AS "onBehalfOfEmail", ob."name" AS "onBehalfOfName", ri."slaLevel", s."slaMinutes", s."slaBusinessHours"${"stageIds" in scope ? Prisma.empty : Prisma.sql`, vis."isMember", vis."isOwner", vis."isReviewer"`}
    FROM items ri
    LEFT JOIN "Stage" s ON s."id" = ri."stageId"
    LEFT JOIN "Project" p ON p."id" = ri."projectId"
    LEFT JOIN "Run" r ON r."id" = ri."runId"
    LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
    LEFT JOIN "ArtifactVersion" v ON v."artifactId" = ri."artifactId" AND v."version" = ri."version"
    LEFT JOIN "ReviewDecision" d ON d."id" = ri."decisionId"
    LEFT JOIN "User" u ON u."id" = d."decidedById"
    LEFT JOIN "User" cu ON cu."id" = ri."claimedById"
    LEFT JOIN "User" ob ON ob."id" = d."onBehalfOfId"
    LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"${"stageIds" in scope ? Prisma.empty : Prisma.sql`
    LEFT JOIN visible vis ON vis."id" = ri."stageId"`}
    ORDER BY ${order.itemColumns}`);
  return rows;
}

/**
 * A row as the queue uses it, its computed columns converted and the stage's rights added, built
 * as one object literal: every row gets the same fixed shape. Adding the rights to the row read
 * (Object.assign) turned a row of 40-odd columns into a hash table in V8 (Node 20), and every
 * later read of it into a lookup: about 0.2 ms a page of 50, here and in presentItem.
 */
function queueRow(row: RawRow, stage: StageRights): QueueRow {
  return {
    id: row.id,
    kind: row.kind,
    projectId: row.projectId,
    projectName: row.projectName,
    stageId: row.stageId,
    stageKey: row.stageKey,
    status: row.status,
    version: row.version,
    reasons: row.reasons,
    createdAt: row.createdAt,
    mayDecideStage: stage.mayDecide,
    runStartedById: row.runStartedById,
    artifactId: row.artifactId,
    artifactKind: row.artifactKind,
    ref: row.ref,
    currentVersion: row.currentVersion,
    artifactStatus: row.artifactStatus,
    content: row.content,
    confidence: row.confidence,
    model: row.model,
    editedById: row.editedById,
    calibratedProbability: row.calibratedProbability,
    decisionAction: row.decisionAction,
    decisionComment: row.decisionComment,
    decisionAt: row.decisionAt,
    decidedByEmail: row.decidedByEmail,
    decidedByName: row.decidedByName,
    conflictRef: row.conflictRef,
    conflictDescription: row.conflictDescription,
    conflictSides: row.conflictSides,
    decidedById: row.decidedById,
    stageStatus: row.stageStatus,
    isStageOwner: stage.owns,
    requiredApprovals: Number(row.requiredApprovals),
    approvals: Number(row.approvals),
    approvedByMe: readFlag(row.approvedByMe),
    claimedById: row.claimedById,
    claimExpiresAt: date(row.claimExpiresAt),
    claimedByEmail: row.claimedByEmail,
    claimedByName: row.claimedByName,
    onBehalfOfEmail: row.onBehalfOfEmail,
    onBehalfOfName: row.onBehalfOfName,
    slaLevel: Number(row.slaLevel),
    slaMinutes: row.slaMinutes,
    slaBusinessHours: readFlag(row.slaBusinessHours),
  };
}

/**
 * The page's order as index columns: (createdAt, id), oldest first; or, riskiest first,
 * (approvalChance, createdAt, id), read from ReviewItem(stageId, status, kind, approvalChance,
 * createdAt, id) the same way, so the riskiest item anywhere in the queue is on the first page.
 */
function orderOf(sort: ReviewQuery["sort"]) {
  const names = sort === "risk" ? ["approvalChance", "createdAt", "id"] : ["createdAt", "id"];
  return {
    columns: Prisma.raw(names.map((name) => `"${name}"`).join(", ")),
    laneColumns: Prisma.raw(names.map((name) => `lanes."${name}"`).join(", ")),
    itemColumns: Prisma.raw(names.map((name) => `ri."${name}"`).join(", ")),
    cursorColumns: Prisma.raw(names.map((name) => `cur."${name}"`).join(", ")),
  };
}

async function assertCursor(cursor: string): Promise<void> {
  const [row] = await selectRows<{ id: string }>(db(), Prisma.sql`SELECT "id" FROM "ReviewItem" WHERE "id" = ${cursor}`);
  if (!row) throw invalid("The cursor is not one this list gave out; start again without it.");
}

/** The sources a page cites, by id: a project's sources can be many and long. */
export async function citedSources(ids: ReadonlySet<string>): Promise<Map<string, { id: string; title: string; text: string }>> {
  if (ids.size === 0) return new Map();
  // SQLite's planner reads the values of an IN list (planNeutral): hidden, the statement is compiled once.
  const rows = await selectRows<{ id: string; title: string; text: string }>(
    db(),
    Prisma.sql`SELECT "id", "title", "text" FROM "Source" WHERE "id" IN (${Prisma.join([...ids].map(planNeutral))})`,
  );
  return new Map(rows.map((row) => [row.id, row]));
}
