import type { UserActor } from "@/lib/actors";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
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

export async function recordDraftLabel(tx: Tx, input: LabelInput): Promise<RecordedLabel | null> {
  const routing = await tx.routingDecision.findFirst({ where: { artifactId: input.artifactId, version: 1 }, orderBy: { createdAt: "asc" } });
  // Drafts routed before calibration existed carry no evidence to learn from.
  if (!routing?.stepKey || routing.features === null) return null;
  if (await tx.draftLabel.findUnique({ where: { artifactId: input.artifactId }, select: { id: true } })) return null;
  const reasons = (input.item.reasons ?? []) as { code: string }[];
  const audited = reasons.some((reason) => reason.code === "audit_sample");
  const finalContent = input.after ?? input.before;
  const draftedCategory = typeof input.before.category === "string" ? input.before.category : null;
  const finalCategory = typeof finalContent.category === "string" ? finalContent.category : null;
  const label = await tx.draftLabel.create({
    data: {
      artifactId: input.artifactId,
      stepKey: routing.stepKey,
      category: routing.category,
      features: routing.features as Prisma.InputJsonValue,
      calibratedProbability: routing.calibratedProbability,
      routedTo: audited ? "auto" : "people",
      source: audited ? "audit_sample" : "review",
      outcome: input.outcome,
      correct: input.outcome === "approved_unchanged",
      correctedCategory: input.after && finalCategory !== draftedCategory ? finalCategory : null,
      statement: typeof finalContent.statement === "string" ? finalContent.statement : null,
      editDistance: input.editDistance,
      durationMs: input.durationMs,
      decidedById: input.actor.userId,
    },
  });
  return { stepKey: label.stepKey, source: audited ? "audit_sample" : "review", correct: label.correct, artifactId: label.artifactId };
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
