import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import type { DecisionAction, StageKey } from "@/lib/generated/sqlite/enums";
import { date, flag, selectRows, sql, empty } from "@/lib/sql/statements";
import { undoKind, undoableUntil } from "./approvals";

/**
 * A reviewer's own decisions, newest first, with what can still be taken back: their undo in
 * its window, or a reopen when they own the stage and it is not signed off. One statement over
 * the index ReviewDecision(decidedById, createdAt).
 */
export type HistoryEntry = {
  id: string;
  itemId: string;
  ref: string;
  kind: string;
  projectId: string;
  projectName: string;
  stage: StageKey;
  action: DecisionAction;
  comment: string | null;
  decidedAt: string;
  undoneAt: string | null;
  itemStatus: string;
  /** what the actor can still do about it: undo (their own, briefly), reopen (the owner) or nothing */
  canTakeBack: "undo" | "reopen" | null;
  undoableUntil: string;
};

type Row = {
  id: string;
  itemId: string;
  ref: string | null;
  kind: string | null;
  projectId: string;
  projectName: string;
  stage: StageKey;
  action: DecisionAction;
  comment: string | null;
  createdAt: Date | string;
  undoneAt: Date | string | null;
  itemStatus: string;
  isOwner: unknown;
  signedOff: unknown;
  isLatest: unknown;
};

export const HISTORY_PAGE_SIZE = 50;

export async function myDecisions(actor: UserActor, before?: Date, now: Date = new Date()): Promise<{ entries: HistoryEntry[]; nextBefore: string | null }> {
  const rows = await selectRows<Row>(
    db(),
    sql`SELECT d."id", d."reviewItemId" AS "itemId", COALESCE(a."ref", c."ref") AS "ref", COALESCE(a."kind", 'conflict') AS "kind",
        ri."projectId", p."name" AS "projectName", s."key" AS "stage", d."action", d."comment", d."createdAt", d."undoneAt", ri."status" AS "itemStatus",
        CASE WHEN s."ownerId" = ${actor.userId} THEN 1 ELSE 0 END AS "isOwner",
        CASE WHEN s."status" = 'signed_off' THEN 1 ELSE 0 END AS "signedOff",
        CASE WHEN NOT EXISTS (SELECT 1 FROM "ReviewDecision" later WHERE later."reviewItemId" = d."reviewItemId" AND later."createdAt" > d."createdAt") THEN 1 ELSE 0 END AS "isLatest"
      FROM "ReviewDecision" d
      JOIN "ReviewItem" ri ON ri."id" = d."reviewItemId"
      JOIN "Stage" s ON s."id" = ri."stageId"
      JOIN "Project" p ON p."id" = ri."projectId"
      LEFT JOIN "Artifact" a ON a."id" = ri."artifactId"
      LEFT JOIN "Conflict" c ON c."id" = ri."conflictId"
      WHERE d."decidedById" = ${actor.userId} ${before ? sql`AND d."createdAt" < ${before}` : empty}
      ORDER BY d."createdAt" DESC
      LIMIT ${HISTORY_PAGE_SIZE + 1}`,
  );
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  return {
    entries: page.map((row) => {
      const decidedAt = date(row.createdAt)!;
      const live = row.undoneAt === null && flag(row.isLatest) && row.itemStatus !== "cancelled";
      const takeBack = live
        ? undoKind({ actorId: actor.userId, deciderId: actor.userId, decidedAt, isOwner: flag(row.isOwner), stageSignedOff: flag(row.signedOff) }, now)
        : null;
      return {
        id: row.id,
        itemId: row.itemId,
        ref: row.ref ?? "(removed)",
        kind: row.kind ?? "conflict",
        projectId: row.projectId,
        projectName: row.projectName,
        stage: row.stage,
        action: row.action,
        comment: row.comment,
        decidedAt: decidedAt.toISOString(),
        undoneAt: date(row.undoneAt)?.toISOString() ?? null,
        itemStatus: row.itemStatus,
        // A reopen is for a settled item; an approval still waiting for a second one is undone, not reopened.
        canTakeBack: takeBack === "reopen" && row.itemStatus === "pending" ? null : takeBack,
        undoableUntil: undoableUntil(decidedAt).toISOString(),
      };
    }),
    nextBefore: rows.length > HISTORY_PAGE_SIZE ? date(page[page.length - 1].createdAt)!.toISOString() : null,
  };
}
