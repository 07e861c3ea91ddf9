import { readRoleFacts, roleFactColumns, type RoleFacts, type RoleFactsRow } from "@/lib/access";
import type { ConflictSide } from "@/lib/artifacts/write";
import type { Db, Prisma, Tx } from "@/lib/db";
import type { ArtifactStatus, DecisionAction, StageKey } from "@/lib/generated/sqlite/enums";
import { date, empty, execute, json, newId, selectRow, selectRows, sql, type SqlClient } from "@/lib/sql/statements";

/**
 * The reads and writes of a review decision, as plain statements (lib/sql/statements.ts): a
 * decision is the commonest write there is, and as ORM calls it took some twenty queries, each
 * costing more to build than to run. The rules stay in service.ts; this file only moves rows.
 */

/** The project and stage a review item belongs to, for the API's permission check. */
export async function reviewItemScope(client: Db, itemId: string): Promise<{ projectId: string; stage: StageKey } | null> {
  return selectRow<{ projectId: string; stage: StageKey }>(
    client,
    sql`SELECT ri."projectId", s."key" AS "stage" FROM "ReviewItem" ri JOIN "Stage" s ON s."id" = ri."stageId" WHERE ri."id" = ${itemId}`,
  );
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
};

type TargetRow = Omit<DecisionTarget, "facts" | "lastDecisionAt"> & RoleFactsRow & { lastDecisionAt: Date | string | null };

/**
 * Inside the transaction: everything the rules need, in one read, with the decider's roles for
 * the permission check and the time of their previous decision (the time spent is estimated
 * from the gap).
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
        (SELECT d."createdAt" FROM "ReviewDecision" d WHERE d."decidedById" = ${userId} ORDER BY d."createdAt" DESC LIMIT 1) AS "lastDecisionAt"
      FROM "ReviewItem" ri
      JOIN "Stage" s ON s."id" = ri."stageId"
      LEFT JOIN "Run" r ON r."id" = ri."runId"
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "ArtifactVersion" v ON v."artifactId" = a."id" AND v."version" = a."currentVersion"
      LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"
      WHERE ri."id" = ${itemId}`,
  );
  if (!row) return null;
  const { isMember, isOwner, isReviewer, lastDecisionAt, ...target } = row;
  return { ...target, facts: readRoleFacts({ isMember, isOwner, isReviewer }), lastDecisionAt: date(lastDecisionAt) };
}

/** The open conflicts of a stage (few at a time); which names the draft is decided from their sides. */
export function openConflicts(tx: Tx, stageId: string): Promise<{ id: string; ref: string; description: string; sides: ConflictSide[] }[]> {
  return selectRows(tx, sql`SELECT "id", "ref", "description", "sides" FROM "Conflict" WHERE "stageId" = ${stageId} AND "status" = 'open'`);
}

/** Marks a pending item decided; 0 when it no longer is pending (someone else decided it first). */
export function claimPending(tx: Tx, itemId: string, now: Date): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "status" = 'decided', "decidedAt" = ${now} WHERE "id" = ${itemId} AND "status" = 'pending'`);
}

/** Marks an item decided whatever its status (a rejected side's pending review). */
export function markDecided(tx: Tx, itemId: string, now: Date): Promise<number> {
  return execute(tx, sql`UPDATE "ReviewItem" SET "status" = 'decided', "decidedAt" = ${now} WHERE "id" = ${itemId}`);
}

export function setArtifactStatus(tx: Tx, artifactId: string, change: { status: ArtifactStatus; currentVersion?: number | null; now: Date }): Promise<number> {
  const version = change.currentVersion ? sql`, "currentVersion" = ${change.currentVersion}` : empty;
  return execute(tx, sql`UPDATE "Artifact" SET "status" = ${change.status}${version}, "updatedAt" = ${change.now} WHERE "id" = ${artifactId}`);
}

/** A version people wrote, and the review item that waits for someone else to approve it. */
export async function insertEditedVersion(
  tx: Tx,
  edit: { artifactId: string; version: number; content: Record<string, unknown>; editedById: string; item: { projectId: string; stageId: string; runId: string | null }; reasons: unknown; now: Date },
): Promise<void> {
  await execute(
    tx,
    sql`INSERT INTO "ArtifactVersion" ("id", "artifactId", "version", "content", "editedById", "createdAt")
      VALUES (${newId()}, ${edit.artifactId}, ${edit.version}, ${json(edit.content)}, ${edit.editedById}, ${edit.now})`,
  );
  await execute(
    tx,
    sql`INSERT INTO "ReviewItem" ("id", "kind", "projectId", "stageId", "runId", "artifactId", "version", "status", "reasons", "createdAt")
      VALUES (${newId()}, 'draft', ${edit.item.projectId}, ${edit.item.stageId}, ${edit.item.runId}, ${edit.artifactId}, ${edit.version}, 'pending', ${json(edit.reasons)}, ${edit.now})`,
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
  const id = newId();
  await execute(
    tx,
    sql`INSERT INTO "ReviewDecision" ("id", "reviewItemId", "artifactId", "version", "action", "comment", "content", "newVersion", "label",
        "changedFields", "editDistance", "durationMs", "decidedById", "createdAt")
      VALUES (${id}, ${record.reviewItemId}, ${record.artifactId}, ${record.version}, ${record.action}, ${record.comment}, ${json(record.content)},
        ${record.newVersion ?? null}, ${record.label}, ${json(record.changedFields)}, ${record.editDistance ?? null}, ${record.durationMs}, ${record.decidedById},
        ${record.createdAt})`,
  );
  return id;
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
      WHERE a."id" = ${artifactId}`,
  );
}
