import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { OFFLINE_MODEL_ID } from "@/lib/models/registry";
import { modelSteps, type ModelStepKey } from "@/lib/pipeline/steps";
import { transact } from "@/lib/transaction";
import { policyValuesSchema, type PolicyValues } from "./schema";

/** What a step runs with until an admin changes it. */
export const defaultPolicy: PolicyValues = {
  modelId: OFFLINE_MODEL_ID,
  minConfidence: 0.7,
  maxCostUsd: 0.5,
  auditSampleRate: 0.05,
  alwaysReview: false,
};

function isModelStep(stepKey: string): stepKey is ModelStepKey {
  return modelSteps.some((step) => step.key === stepKey);
}

export async function policyFor(stepKey: ModelStepKey): Promise<PolicyValues> {
  const stored = await db().policy.findUnique({ where: { stepKey } });
  if (!stored) return defaultPolicy;
  const { modelId, minConfidence, maxCostUsd, auditSampleRate, alwaysReview } = stored;
  return { modelId, minConfidence, maxCostUsd, auditSampleRate, alwaysReview };
}

export async function listPolicies(actor: UserActor) {
  await assertCan(actor, "policies:manage");
  const stored = await db().policy.findMany({ include: { updatedBy: { select: { email: true } } } });
  return modelSteps.map((step) => {
    const row = stored.find((p) => p.stepKey === step.key);
    return {
      step,
      values: row
        ? { modelId: row.modelId, minConfidence: row.minConfidence, maxCostUsd: row.maxCostUsd, auditSampleRate: row.auditSampleRate, alwaysReview: row.alwaysReview }
        : defaultPolicy,
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy?.email ?? null,
    };
  });
}

export async function updatePolicy(actor: UserActor, stepKey: string, input: unknown) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  const values = policyValuesSchema.parse(input);
  const before = await policyFor(stepKey);
  await transact(async (tx) => {
    await tx.policy.upsert({
      where: { stepKey },
      create: { stepKey, ...values, updatedById: actor.userId },
      update: { ...values, updatedById: actor.userId },
    });
    await recordAudit(tx, {
      actor,
      action: "policy.updated",
      subjectType: "policy",
      subjectId: stepKey,
      before,
      after: values,
    });
  });
  return values;
}
