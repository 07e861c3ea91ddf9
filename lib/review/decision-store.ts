import { readRoleFacts, roleFactColumns, type RoleFacts, type RoleFactsRow } from "@/lib/access";
import type { ConflictSide } from "@/lib/artifacts/write";
import { onBehalfOfSql } from "@/lib/delegations/acting";
import type { Db, Prisma, Tx } from "@/lib/db";
import type { ArtifactStatus, DecisionAction, StageKey } from "@/lib/generated/sqlite/enums";
import { isWaiting } from "@/lib/pipeline/pending";
import { date, empty, execute, flag, json, newId, planNeutral, selectRow, selectRows, sql, type Sql, type SqlClient, type Write } from "@/lib/sql/statements";
import type { Tally } from "./approvals";

/**
 * The reads and writes of a review decision, as plain statements (lib/sql/statements.ts): a
 * decision is the commonest write there is, and as ORM calls it took some twenty queries, each
 * costing more to build than to run. The rules stay in service.ts; this file only moves rows.
 * In the reads that join, the item's id and the user's id are bound through planNeutral: SQLite's
 * planner reads a value compared with an index's first column there, and then compiles the
 * statement again on every call (0.26 ms a decision for decisionTarget's read alone).
 */

/** The project and stage a review item belongs to, for the API's permission check; with the user's roles there when a user is named. */
export async function reviewItemScope(client: Db, itemId: string, userId?: string): Promise<{ projectId: string; stage: StageKey; facts: RoleFacts | null } | null> {
  const facts = userId ? sql`, ${roleFactColumns(userId, sql`ri."projectId"`)}` : empty;
  const row = await selectRow<{ projectId: string; stage: StageKey } & Partial<RoleFactsRow>>(
    client,
    sql`SELECT ri."projectId", s."key" AS "stage"${facts} FROM "ReviewItem" ri JOIN "Stage" s ON s."id" = ri."stageId" WHERE ri."id" = ${planNeutral(itemId)}`,
  );
  if (!row) return null;
  const { isMember, isOwner, isReviewer, ...scope } = row;
  return { ...scope, facts: userId ? readRoleFacts({ isMember, isOwner, isReviewer }) : null };
}

/** A review item as a decision reads it, with its draft's current version or its conflict. */
export type DecisionTarget = {
  id: string;
  kind: "draft" | "conflict";
  projectId: string;
  stageId: string;
  runId: string | null;
  version: number;
  status: string;
  reasons: Prisma.JsonValue;
  runStartedById: string | null;
  artifactId: string | null;
  artifactKind: string | null;
  ref: string | null;
  currentVersion: number | null;
  artifactStatus: ArtifactStatus | null;
  /** The content and author of the artifact's current version. */
  content: Prisma.JsonValue;
  editedById: string | null;
  conflictId: string | null;
  conflictRef: string | null;
  conflictDescription: string | null;
  conflictSides: Prisma.JsonValue;
  /**
   * Whether an open conflict of the stage names the draft anywhere in its sides' text: when not,
   * the draft is no side of one and its stage's conflicts need no reading.
   */
  mayBeInOpenConflict: unknown;
  /** The decider's roles in the item's stage, and when they last decided anything. */
  facts: RoleFacts;
  lastDecisionAt: Date | null;
  /** The two-person rule: approvals the item needs, and its live (not undone) votes so far. */
  requiredApprovals: number;
  tally: Tally;
  /** Who holds the item's claim, if anyone, until when (a past time means it lapsed). */
  claim: LiveClaim | null;
  /** Whether any webhook is active: when none is, the decision's event needs no delivery (lib/events/emit.ts). */
  webhooksActive: boolean;
  /**
   * Whether other items of the item's run still wait for people (pending or disputed). While they
   * do, deciding a draft cannot finish the run's review, and the run need not be asked again.
   */
  othersWaiting: boolean;
};

export type LiveClaim = { userId: string; email: string; name: string; expiresAt: Date };

type TargetRow = Omit<DecisionTarget, "facts" | "lastDecisionAt" | "tally" | "claim" | "webhooksActive" | "othersWaiting"> &
  RoleFactsRow & {
    lastDecisionAt: Date | string | null;
    approvals: unknown;
    rejections: unknown;
    approvedByActor: unknown;
    claimedById: string | null;
    claimExpiresAt: Date | string | null;
    holderEmail: string | null;
    holderName: string | null;
    webhooksActive: unknown;
    othersWaiting: unknown;
  };

/**
 * Inside the transaction: everything the rules need, in one read, with the decider's roles for
 * the permission check, the time of their previous decision (the time spent is estimated
 * from the gap), and whether the decision's event has any webhook to go to.
 */
export async function decisionTarget(tx: Tx, itemId: string, userId: string): Promise<DecisionTarget | null> {
  const row = await selectRow<TargetRow>(
    tx,
    sql`SELECT ri."id", ri."kind", ri."projectId", ri."stageId", ri."runId", ri."version", ri."status", ri."reasons",
        r."createdById" AS "runStartedById",
        a."id" AS "artifactId", a."kind" AS "artifactKind", a."ref", a."currentVersion", a."status" AS "artifactStatus",
        v."content", v."editedById",
        c."id" AS "conflictId", c."ref" AS "conflictRef", c."description" AS "conflictDescription", c."sides" AS "conflictSides",
        CASE WHEN EXISTS (SELECT 1 FROM "Conflict" oc WHERE oc."stageId" = ri."stageId" AND oc."status" = 'open'
          AND CAST(oc."sides" AS TEXT) LIKE '%' || ri."artifactId" || '%') THEN 1 ELSE 0 END AS "mayBeInOpenConflict",
        ${roleFactColumns(userId, sql`ri."projectId"`)},
        (SELECT d."createdAt" FROM "ReviewDecision" d WHERE d."decidedById" = ${planNeutral(userId)} ORDER BY d."createdAt" DESC LIMIT 1) AS "lastDecisionAt",
        ri."requiredApprovals", ri."claimedById", ri."claimExpiresAt", hu."email" AS "holderEmail", hu."name" AS "holderName",
        ${liveVotes(sql`ri."id"`, userId)},
        CASE WHEN EXISTS (SELECT 1 FROM "Webhook" wh WHERE wh."active" = ${true}) THEN 1 ELSE 0 END AS "webhooksActive",
        CASE WHEN EXISTS (SELECT 1 FROM "ReviewItem" ow WHERE ow."runId" = ri."runId" AND ${isWaiting(sql`ow."status"`)} AND ow."id" <> ri."id")
          THEN 1 ELSE 0 END AS "othersWaiting"
      FROM "ReviewItem" ri
      JOIN "Stage" s ON s."id" = ri."stageId"
      LEFT JOIN "User" hu ON hu."id" = ri."claimedById"
      LEFT JOIN "Run" r ON r."id" = ri."runId"
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "ArtifactVersion" v ON v."artifactId" = a."id" AND v."version" = a."currentVersion"
      LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"
      WHERE ri."id" = ${planNeutral(itemId)}`,
  );
  if (!row) return null;
  const { isMember, isOwner, isReviewer, lastDecisionAt, approvals, rejections, approvedByActor, claimedById, claimExpiresAt, holderEmail, holderName, webhooksActive, othersWaiting, ...target } =
    row;
  return {
    ...target,
    webhooksActive: flag(webhooksActive),
    othersWaiting: flag(othersWaiting),
    requiredApprovals: Number(target.requiredApprovals),
    facts: readRoleFacts({ isMember, isOwner, isReviewer }),
    lastDecisionAt: date(lastDecisionAt),
    tally: { approvals: Number(approvals), rejections: Number(rejections), approvedByActor: flag(approvedByActor) },
    claim: claimedById && claimExpiresAt ? { userId: claimedById, email: holderEmail ?? "", name: holderName ?? "", expiresAt: date(claimExpiresAt)! } : null,
  };
}

/** The label of the stage owner's decision on a disagreement: it settles the votes, it is not one. */
export const ADJUDICATED_LABEL = "adjudicated";

/**
 * The item's live votes (decisions not undone): approvals, rejections, and whether the user
 * approved. Adjudications are not votes: they are recorded with their own label.
 */
function liveVotes(itemId: Sql, userId: string): Sql {
  const votes = sql`FROM "ReviewDecision" lv WHERE lv."reviewItemId" = ${itemId} AND lv."undoneAt" IS NULL AND COALESCE(lv."label", '') <> ${ADJUDICATED_LABEL}`;
  return sql`(SELECT COUNT(*) ${votes} AND lv."action" = 'approve') AS "approvals",
    (SELECT COUNT(*) ${votes} AND lv."action" = 'reject') AS "rejections",
    CASE WHEN EXISTS (SELECT 1 ${votes} AND lv."action" = 'approve' AND lv."decidedById" = ${planNeutral(userId)}) THEN 1 ELSE 0 END AS "approvedByActor"`;
}

/** The open conflicts of a stage (few at a time); which names the draft is decided from their sides. */
export function openConflicts(tx: Tx, stageId: string): Promise<{ id: string; ref: string; description: string; sides: ConflictSide[] }[]> {
  return selectRows(tx, sql`SELECT "id", "ref", "description", "sides" FROM "Conflict" WHERE "stageId" = ${stageId} AND "status" = 'open'`);
}

/**
 * Marks a pending item decided and ends its claim; 0 when it no longer is pending (someone else
 * decided it first) or someone else holds a live claim on it. An approval the two-person rule
 * does not yet count as enough puts the item back (setItemStatus) in the same transaction.
 */
export function claimPending(tx: Tx, itemId: string, userId: string, now: Date): Promise<number> {
  return execute(
    tx,
    sql`UPDATE "ReviewItem" SET "status" = 'decided', "decidedAt" = ${now}, "claimedById" = NULL, "claimExpiresAt" = NULL
      WHERE "id" = ${itemId} AND "status" = 'pending' AND ("claimedById" IS NULL OR "claimedById" = ${userId} OR "claimExpiresAt" < ${now})`,
  );
}

/** The same compare-and-set for the stage owner settling a disagreement. */
export function claimForAdjudication(tx: Tx, itemId: string, now: Date): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "status" = 'decided', "decidedAt" = ${now} WHERE "id" = ${itemId} AND "status" = 'needs_adjudication'`);
}

/** Puts an item back to waiting (pending, or needs_adjudication), as not decided. */
export function setItemStatus(tx: Tx, itemId: string, status: "pending" | "needs_adjudication"): Promise<number> {
  return execute(tx, itemStatusWrite(itemId, status).statement);
}

export function itemStatusWrite(itemId: string, status: "pending" | "needs_adjudication"): Write {
  return { statement: sql`UPDATE "ReviewItem" SET "status" = ${status}, "decidedAt" = NULL, "claimedById" = NULL, "claimExpiresAt" = NULL WHERE "id" = ${itemId}` };
}

/** Marks an item decided whatever its status (a rejected side's pending review). */
export function markDecided(tx: Tx, itemId: string, now: Date): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "status" = 'decided', "decidedAt" = ${now} WHERE "id" = ${itemId}`);
}

type ArtifactChange = { status: ArtifactStatus; currentVersion?: number | null; now: Date };

export function setArtifactStatus(tx: Tx, artifactId: string, change: ArtifactChange): Promise<number> {
  return execute(tx, artifactStatusWrite(artifactId, change).statement);
}

export function artifactStatusWrite(artifactId: string, change: ArtifactChange): Write {
  const version = change.currentVersion ? sql`, "currentVersion" = ${change.currentVersion}` : empty;
  return { statement: sql`UPDATE "Artifact" SET "status" = ${change.status}${version}, "updatedAt" = ${change.now} WHERE "id" = ${artifactId}` };
}

/** A version people wrote, and the review item that waits for someone else to approve it. */
export async function insertEditedVersion(
  tx: Tx,
  edit: {
    artifactId: string;
    version: number;
    content: Record<string, unknown>;
    editedById: string;
    /** The edited item: the new version's item needs as many approvals as it did. */
    item: { projectId: string; stageId: string; runId: string | null; requiredApprovals: number };
    reasons: unknown;
    now: Date;
  },
): Promise<void> {
  await execute(
    tx,
    sql`INSERT INTO "ArtifactVersion" ("id", "artifactId", "version", "content", "editedById", "createdAt")
      VALUES (${newId()}, ${edit.artifactId}, ${edit.version}, ${json(edit.content)}, ${edit.editedById}, ${edit.now})`,
  );
  await execute(
    tx,
    sql`INSERT INTO "ReviewItem" ("id", "kind", "projectId", "stageId", "runId", "artifactId", "version", "status", "reasons", "requiredApprovals", "createdAt")
      VALUES (${newId()}, 'draft', ${edit.item.projectId}, ${edit.item.stageId}, ${edit.item.runId}, ${edit.artifactId}, ${edit.version}, 'pending', ${json(edit.reasons)},
        ${edit.item.requiredApprovals}, ${edit.now})`,
  );
}

export type DecisionRecord = {
  reviewItemId: string;
  artifactId: string | null;
  version: number;
  action: DecisionAction;
  comment: string | null;
  content?: Record<string, unknown> | null;
  newVersion?: number | null;
  label: string;
  changedFields?: string[] | null;
  editDistance?: number | null;
  durationMs: number | null;
  decidedById: string;
  createdAt: Date;
};

/** Records a decision; returns its id. */
export async function insertDecision(tx: Tx, record: DecisionRecord): Promise<string> {
  const { id, write } = decisionWrite(record);
  await execute(tx, write.statement);
  return id;
}

/** The decision's row, with the id it will have. */
export function decisionWrite(record: DecisionRecord): { id: string; write: Write } {
  const id = newId();
  const statement = sql`INSERT INTO "ReviewDecision" ("id", "reviewItemId", "artifactId", "version", "action", "comment", "content", "newVersion", "label",
        "changedFields", "editDistance", "durationMs", "decidedById", "onBehalfOfId", "createdAt")
      VALUES (${id}, ${record.reviewItemId}, ${record.artifactId}, ${record.version}, ${record.action}, ${record.comment}, ${json(record.content)},
        ${record.newVersion ?? null}, ${record.label}, ${json(record.changedFields)}, ${record.editDistance ?? null}, ${record.durationMs}, ${record.decidedById},
        ${onBehalfOfSql(record.decidedById, record.reviewItemId, record.createdAt)}, ${record.createdAt})`;
  return { id, write: { statement } };
}

export function resolveConflictRow(tx: Tx, conflictId: string, resolution: unknown, now: Date): Promise<number> {
  return execute(tx, sql`UPDATE "Conflict" SET "status" = 'resolved', "resolvedAt" = ${now}, "resolution" = ${json(resolution)} WHERE "id" = ${conflictId}`);
}

export type SideRow = {
  id: string;
  projectId: string;
  ref: string;
  status: ArtifactStatus;
  currentVersion: number;
  content: Prisma.JsonValue;
  pendingId: string | null;
  pendingReasons: Prisma.JsonValue;
  pendingStageId: string | null;
};

/** A conflict side's artifact, its current version and its pending review item, if any. */
export function conflictSide(client: SqlClient, artifactId: string): Promise<SideRow | null> {
  return selectRow<SideRow>(
    client,
    sql`SELECT a."id", a."projectId", a."ref", a."status", a."currentVersion", v."content",
        pi."id" AS "pendingId", pi."reasons" AS "pendingReasons", pi."stageId" AS "pendingStageId"
      FROM "Artifact" a
      LEFT JOIN "ArtifactVersion" v ON v."artifactId" = a."id" AND v."version" = a."currentVersion"
      LEFT JOIN "ReviewItem" pi ON pi."id" = (SELECT p2."id" FROM "ReviewItem" p2 WHERE p2."artifactId" = a."id" AND p2."status" = 'pending' LIMIT 1)
      WHERE a."id" = ${planNeutral(artifactId)}`,
  );
}

/** A review item as a claim, release or undo reads it: its reference, status, claim and stage, with the user's roles. */
export type ItemScope = {
  id: string;
  kind: "draft" | "conflict";
  projectId: string;
  stageId: string;
  runId: string | null;
  status: string;
  version: number;
  requiredApprovals: number;
  ref: string;
  artifactId: string | null;
  runStartedById: string | null;
  stageStatus: string;
  claim: LiveClaim | null;
  facts: RoleFacts;
};

type ScopeRow = Omit<ItemScope, "claim" | "facts" | "requiredApprovals"> &
  RoleFactsRow & { requiredApprovals: unknown; claimedById: string | null; claimExpiresAt: Date | string | null; holderEmail: string | null; holderName: string | null };

export async function itemScope(client: SqlClient, itemId: string, userId: string): Promise<ItemScope | null> {
  const row = await selectRow<ScopeRow>(
    client,
    sql`SELECT ri."id", ri."kind", ri."projectId", ri."stageId", ri."runId", ri."status", ri."version", ri."requiredApprovals", ri."artifactId",
        COALESCE(a."ref", c."ref", ri."id") AS "ref", r."createdById" AS "runStartedById", s."status" AS "stageStatus",
        ri."claimedById", ri."claimExpiresAt", hu."email" AS "holderEmail", hu."name" AS "holderName",
        ${roleFactColumns(userId, sql`ri."projectId"`)}
      FROM "ReviewItem" ri
      JOIN "Stage" s ON s."id" = ri."stageId"
      LEFT JOIN "Run" r ON r."id" = ri."runId"
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"
      LEFT JOIN "User" hu ON hu."id" = ri."claimedById"
      WHERE ri."id" = ${planNeutral(itemId)}`,
  );
  if (!row) return null;
  const { isMember, isOwner, isReviewer, claimedById, claimExpiresAt, holderEmail, holderName, requiredApprovals, ...scope } = row;
  return {
    ...scope,
    requiredApprovals: Number(requiredApprovals),
    facts: readRoleFacts({ isMember, isOwner, isReviewer }),
    claim: claimedById && claimExpiresAt ? { userId: claimedById, email: holderEmail ?? "", name: holderName ?? "", expiresAt: date(claimExpiresAt)! } : null,
  };
}

/** Renews the user's own live claim; 0 when they hold none. */
export function renewClaim(tx: Tx, itemId: string, userId: string, now: Date, expiresAt: Date): Promise<number> {
  return execute(
    tx,
    sql`UPDATE "ReviewItem" SET "claimExpiresAt" = ${expiresAt}
      WHERE "id" = ${itemId} AND "status" = 'pending' AND "claimedById" = ${userId} AND "claimExpiresAt" >= ${now}`,
  );
}

/**
 * Takes the claim in one conditional statement, so of many reviewers racing for a pending item
 * exactly one gets it: when nobody holds it or the claim lapsed. A live claim of the user's own
 * is theirs to renew (renewClaim), not to take again.
 */
export function takeClaim(tx: Tx, itemId: string, userId: string, now: Date, expiresAt: Date): Promise<number> {
  return execute(
    tx,
    sql`UPDATE "ReviewItem" SET "claimedById" = ${userId}, "claimExpiresAt" = ${expiresAt}
      WHERE "id" = ${itemId} AND "status" = 'pending' AND ("claimedById" IS NULL OR "claimExpiresAt" < ${now})`,
  );
}

/** The stage owner hands the item to a reviewer, whoever held it. */
export function assignClaim(tx: Tx, itemId: string, userId: string, expiresAt: Date): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "claimedById" = ${userId}, "claimExpiresAt" = ${expiresAt} WHERE "id" = ${itemId} AND "status" = 'pending'`);
}

/** Ends the claim if it is still the one that was read (compare-and-set on the holder). */
export function endClaim(tx: Tx, itemId: string, holderId: string): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "claimedById" = NULL, "claimExpiresAt" = NULL WHERE "id" = ${itemId} AND "claimedById" = ${holderId}`);
}

export type UndoneDecision = { id: string; action: DecisionAction; decidedById: string; createdAt: Date; label: string | null; version: number; newVersion: number | null };

/**
 * Marks the item's latest live decision undone (it stays on record); null when it has none.
 * A write first, like a decision, and a compare-and-set: two undos never take back the same one.
 */
export async function markLatestUndone(tx: Tx, itemId: string, userId: string, now: Date): Promise<UndoneDecision | null> {
  const row = await selectRow<Omit<UndoneDecision, "createdAt"> & { createdAt: Date | string }>(
    tx,
    sql`UPDATE "ReviewDecision" SET "undoneAt" = ${now}, "undoneById" = ${userId}
      WHERE "id" = (SELECT d."id" FROM "ReviewDecision" d WHERE d."reviewItemId" = ${itemId} AND d."undoneAt" IS NULL ORDER BY d."createdAt" DESC LIMIT 1)
        AND "undoneAt" IS NULL
      RETURNING "id", "action", "decidedById", "createdAt", "label", "version", "newVersion"`,
  );
  return row ? { ...row, newVersion: row.newVersion === null ? null : Number(row.newVersion), version: Number(row.version), createdAt: date(row.createdAt)! } : null;
}

/** The item's live votes after an undo, and the artifact as it stands. */
export async function afterUndoFacts(
  tx: Tx,
  item: { id: string; artifactId: string | null },
  newVersion: number | null,
): Promise<{ approvals: number; rejections: number; artifactStatus: ArtifactStatus | null; currentVersion: number | null; editItem: { id: string; status: string; decisions: number } | null }> {
  const row = await selectRow<Record<string, unknown>>(
    tx,
    sql`SELECT ${liveVotes(sql`${item.id}`, "")}, a."status" AS "artifactStatus", a."currentVersion",
        ei."id" AS "editItemId", ei."status" AS "editItemStatus",
        (SELECT COUNT(*) FROM "ReviewDecision" ed WHERE ed."reviewItemId" = ei."id" AND ed."undoneAt" IS NULL) AS "editItemDecisions"
      FROM "ReviewItem" ri
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "ReviewItem" ei ON ei."id" = (SELECT e2."id" FROM "ReviewItem" e2 WHERE e2."artifactId" = ri."artifactId" AND e2."version" = ${newVersion ?? -1} AND e2."status" <> 'cancelled' LIMIT 1)
      WHERE ri."id" = ${item.id}`,
  );
  return {
    approvals: Number(row?.approvals ?? 0),
    rejections: Number(row?.rejections ?? 0),
    artifactStatus: (row?.artifactStatus as ArtifactStatus | null) ?? null,
    currentVersion: row?.currentVersion === null || row?.currentVersion === undefined ? null : Number(row.currentVersion),
    editItem: row?.editItemId ? { id: String(row.editItemId), status: String(row.editItemStatus), decisions: Number(row.editItemDecisions) } : null,
  };
}

/** Takes an edit back: its new version's review item is withdrawn and the version it wrote removed (the decision keeps its content). */
export async function withdrawEditedVersion(tx: Tx, artifactId: string, version: number, editItemId: string): Promise<void> {
  await execute(tx, sql`UPDATE "ReviewItem" SET "status" = 'cancelled', "claimedById" = NULL, "claimExpiresAt" = NULL WHERE "id" = ${editItemId}`);
  await execute(tx, sql`DELETE FROM "ArtifactVersion" WHERE "artifactId" = ${artifactId} AND "version" = ${version}`);
}

/** Retracts the label a final decision recorded; calibration no longer learns from it. */
export function retractLabel(tx: Tx, artifactId: string): Promise<number> {
  return execute(tx, sql`DELETE FROM "DraftLabel" WHERE "artifactId" = ${artifactId}`);
}
