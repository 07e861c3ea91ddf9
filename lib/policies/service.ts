import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Prisma, type Tx } from "@/lib/db";
import { invalid, notFound } from "@/lib/errors";
import { OFFLINE_MODEL_ID } from "@/lib/models/registry";
import { modelSteps, stepCategories, type ModelStepKey } from "@/lib/pipeline/steps";
import { transact } from "@/lib/transaction";
import { DEFAULT_REQUIRED_APPROVALS } from "./required-approvals";
import { applyPolicyUpdate, policyUpdateSchema, policyValuesSchema, type PolicyUpdate, type PolicyValues } from "./schema";

/** What a step runs with until an admin changes it. */
export const defaultPolicy: PolicyValues = {
  modelId: OFFLINE_MODEL_ID,
  fallbackModelIds: [],
  cascade: [],
  maxInputTokens: null,
  minConfidence: 0.2,
  targetErrorRate: 0.03,
  confidenceLevel: 0.95,
  auditSampleRate: 0.05,
  maxCostUsd: 0.5,
  alwaysReview: false,
  requiredApprovals: DEFAULT_REQUIRED_APPROVALS,
  categories: {},
};

export type VersionedPolicy = { stepKey: ModelStepKey; version: number; values: PolicyValues };

export function isModelStep(stepKey: string): stepKey is ModelStepKey {
  return modelSteps.some((step) => step.key === stepKey);
}

/** Stored versions predate some fields; those take their defaults. */
function readValues(stored: unknown): PolicyValues {
  return policyValuesSchema.parse({ ...defaultPolicy, ...(stored as Record<string, unknown>) });
}

/** The policy in force for a step (version 0 is the built-in default). */
export async function currentPolicy(stepKey: ModelStepKey, client: Tx | ReturnType<typeof db> = db()): Promise<VersionedPolicy> {
  const latest = await client.policyVersion.findFirst({ where: { stepKey }, orderBy: { version: "desc" } });
  return latest ? { stepKey, version: latest.version, values: readValues(latest.values) } : { stepKey, version: 0, values: defaultPolicy };
}

export async function listPolicies(actor: UserActor) {
  await assertCan(actor, "policies:manage");
  return Promise.all(modelSteps.map((step) => policyView(step.key)));
}

export async function getPolicy(actor: UserActor, stepKey: string) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  return policyView(stepKey);
}

async function policyView(stepKey: ModelStepKey) {
  const versions = await db().policyVersion.findMany({
    where: { stepKey },
    orderBy: { version: "desc" },
    take: 20,
    include: { createdBy: { select: { email: true } } },
  });
  const step = modelSteps.find((candidate) => candidate.key === stepKey)!;
  const latest = versions[0];
  return {
    stepKey,
    title: step.title,
    categories: [...stepCategories(stepKey)],
    version: latest?.version ?? 0,
    values: latest ? readValues(latest.values) : defaultPolicy,
    updatedAt: latest?.createdAt.toISOString() ?? null,
    updatedBy: latest?.createdBy?.email ?? null,
    history: versions.map((version) => ({
      version: version.version,
      values: readValues(version.values),
      reason: version.reason,
      by: version.createdBy?.email ?? null,
      at: version.createdAt.toISOString(),
    })),
  };
}
export type PolicyView = Awaited<ReturnType<typeof policyView>>;

/** Checks a proposed policy against the step: known categories only. */
export function validateForStep(stepKey: ModelStepKey, values: PolicyValues): PolicyValues {
  const allowed = stepCategories(stepKey);
  const unknown = Object.keys(values.categories).filter((category) => !allowed.includes(category));
  if (unknown.length > 0) {
    const known = allowed.length > 0 ? `its categories are ${allowed.join(", ")}` : "its drafts have no categories";
    throw invalid(`The ${stepKey} step has no category ${unknown.join(", ")}: ${known}.`, unknown.map((category) => ({ path: `categories.${category}`, message: "unknown category" })));
  }
  return values;
}

/** The values a partial update would give, validated; nothing is saved. */
export async function proposedPolicy(stepKey: ModelStepKey, input: PolicyUpdate): Promise<{ current: VersionedPolicy; proposed: PolicyValues }> {
  const update = policyUpdateSchema.parse(input);
  const current = await currentPolicy(stepKey);
  return { current, proposed: validateForStep(stepKey, policyValuesSchema.parse(applyPolicyUpdate(current.values, update))) };
}

/** Saves a new version of the step's policy: who, when and why are kept with it. */
export async function updatePolicy(actor: UserActor, stepKey: string, input: PolicyUpdate) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  const update = policyUpdateSchema.parse(input);
  return transact(async (tx) => {
    const current = await currentPolicy(stepKey, tx);
    const values = validateForStep(stepKey, policyValuesSchema.parse(applyPolicyUpdate(current.values, update)));
    const version = current.version + 1;
    await tx.policyVersion.create({
      data: { stepKey, version, values: values as unknown as Prisma.InputJsonValue, reason: update.reason || null, createdById: actor.userId },
    });
    await recordAudit(tx, {
      actor,
      action: "policy.updated",
      subjectType: "policy",
      subjectId: stepKey,
      before: { version: current.version, ...current.values },
      after: { version, ...values },
      reason: update.reason || null,
    });
    return { stepKey, version, values };
  });
}
