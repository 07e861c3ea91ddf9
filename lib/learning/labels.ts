import type { UserActor } from "@/lib/actors";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { newId, planNeutral, sql, writeTogether, type Write } from "@/lib/sql/statements";
import { tightenAfterAuditError } from "./calibration";

/**
 * Every decision on a draft as the model wrote it (version 1) is a label: approved unchanged is
 * right; edited or rejected is wrong. The label keeps the evidence the draft was routed with, so
 * calibration can learn which evidence predicts which outcome. Audit samples are the unbiased
 * labels of the auto-approved region.
 */
export type LabelOutcome = "approved_unchanged" | "edited" | "rejected";
export type RecordedLabel = { stepKey: string; source: "review" | "audit_sample"; correct: boolean; artifactId: string };

type LabelInput = {
  artifactId: string;
  item: { reasons: Prisma.JsonValue; stageId: string };
  outcome: LabelOutcome;
  before: Record<string, unknown>;
  after: Record<string, unknown> | null;
  editDistance: number;
  durationMs: number | null;
  actor: UserActor;
};

/**
 * Runs in the decision's transaction, as one statement: the label copies the evidence of the
 * draft's first routing, unless the draft was routed before calibration existed (no step or no
 * features: nothing to learn from) or already has its label.
 */
export async function recordDraftLabel(tx: Tx, input: LabelInput): Promise<RecordedLabel | null> {
  const { write, recorded } = draftLabelWrite(input);
  return recorded((await writeTogether(tx, { label: write })).label);
}

/** The label's statement, for a caller that writes it together with others (writeTogether), and what its returned rows mean. */
export function draftLabelWrite(input: LabelInput): { write: Write; recorded: (rows: Record<string, unknown>[]) => RecordedLabel | null } {
  const reasons = (input.item.reasons ?? []) as { code: string }[];
  const audited = reasons.some((reason) => reason.code === "audit_sample");
  const finalContent = input.after ?? input.before;
  const draftedCategory = typeof input.before.category === "string" ? input.before.category : null;
  const finalCategory = typeof finalContent.category === "string" ? finalContent.category : null;
  const source = audited ? "audit_sample" : "review";
  const correct = input.outcome === "approved_unchanged";
  // The artifact's id through planNeutral: SQLite's planner reads it, and would compile the statement again for each decision.
  const statement = sql`INSERT INTO "DraftLabel" ("id", "artifactId", "stepKey", "category", "features", "calibratedProbability", "routedTo", "source", "outcome", "correct",
        "correctedCategory", "statement", "editDistance", "durationMs", "decidedById", "createdAt")
      SELECT ${newId()}, rt."artifactId", rt."stepKey", rt."category", rt."features", rt."calibratedProbability", ${audited ? "auto" : "people"}, ${source},
        ${input.outcome}, ${correct}, ${input.after && finalCategory !== draftedCategory ? finalCategory : null},
        ${typeof finalContent.statement === "string" ? finalContent.statement : null}, ${input.editDistance}, ${input.durationMs}, ${input.actor.userId}, ${new Date()}
      FROM "RoutingDecision" rt
      WHERE rt."id" = (SELECT r1."id" FROM "RoutingDecision" r1 WHERE r1."artifactId" = ${planNeutral(input.artifactId)} AND r1."version" = 1 ORDER BY r1."createdAt" LIMIT 1)
        AND rt."stepKey" <> '' AND rt."features" IS NOT NULL AND CAST(rt."features" AS TEXT) <> 'null'
        AND NOT EXISTS (SELECT 1 FROM "DraftLabel" dl WHERE dl."artifactId" = rt."artifactId")`;
  return {
    write: { statement, returning: sql`"stepKey"` },
    recorded: ([label]) => (label ? { stepKey: String(label.stepKey), source, correct, artifactId: input.artifactId } : null),
  };
}

/**
 * After the decision committed: an audit sample found wrong means auto-approval of that step
 * let an error through, so its calibration is refitted at once and tightens if it must.
 * Other labels are picked up by the background refit.
 */
export async function afterLabelsRecorded(labels: readonly RecordedLabel[], context: { projectId: string }): Promise<void> {
  const auditErrors = labels.filter((label) => label.source === "audit_sample" && !label.correct);
  for (const stepKey of new Set(auditErrors.map((label) => label.stepKey))) {
    await tightenAfterAuditError(stepKey, { ...context, artifactIds: auditErrors.filter((label) => label.stepKey === stepKey).map((label) => label.artifactId) });
  }
}
