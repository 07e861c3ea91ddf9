import type { PolicyUpdate, PolicyValues } from "@/lib/policies/schema";

/**
 * The policy form's values as typed (percentages as text) and their conversion to the stored
 * fractions. Pure, so the form, the preview and the history all read values the same way.
 */
export type PercentKey = "minConfidence" | "targetErrorRate" | "confidenceLevel" | "auditSampleRate";

type PercentSpec = { label: string; min: number; max: number; aboveMin?: boolean; belowMax?: boolean; hint: string };

export const percentSpecs: Record<PercentKey, PercentSpec> = {
  targetErrorRate: {
    label: "Target error rate",
    min: 0,
    max: 100,
    aboveMin: true,
    hint: "The most wrong drafts you accept among the auto-approved ones.",
  },
  confidenceLevel: {
    label: "Confidence level",
    min: 50,
    max: 100,
    belowMax: true,
    hint: "How sure the measured error bound must be before anything is auto-approved.",
  },
  auditSampleRate: {
    label: "Audit sample rate",
    min: 0,
    max: 100,
    hint: "Share of would-be auto-approved drafts still sent to people, at random, to keep measuring.",
  },
  minConfidence: {
    label: "Minimum drafter confidence",
    min: 0,
    max: 100,
    hint: "Below the drafter's own confidence floor a draft always goes to people.",
  },
};
export const percentKeys = Object.keys(percentSpecs) as PercentKey[];

export type OverrideChoice = "" | "yes" | "no";
/** Approvals a draft may need, as the form's select offers them; a category row's "" inherits the step's. */
export const approvalChoices = ["1", "2", "3", "4", "5"] as const;
export type CategoryRow = { category: string; alwaysReview: OverrideChoice; requiredApprovals: string } & Record<PercentKey, string>;
export type PolicyForm = {
  modelId: string;
  maxCostUsd: string;
  alwaysReview: boolean;
  requiredApprovals: string;
  categories: CategoryRow[];
} & Record<PercentKey, string>;

/** 0.03 -> "3"; rounding away float noise such as 0.07 * 100 = 7.000000000000001. */
export function asPercentText(fraction: number | undefined): string {
  return fraction === undefined ? "" : String(Math.round(fraction * 10_000) / 100);
}

export function formOf(values: PolicyValues): PolicyForm {
  return {
    modelId: values.modelId,
    maxCostUsd: String(values.maxCostUsd),
    alwaysReview: values.alwaysReview,
    requiredApprovals: String(values.requiredApprovals),
    ...(Object.fromEntries(percentKeys.map((key) => [key, asPercentText(values[key])])) as Record<PercentKey, string>),
    categories: Object.entries(values.categories).map(([category, override]) => ({
      category,
      alwaysReview: override.alwaysReview === undefined ? "" : override.alwaysReview ? "yes" : "no",
      requiredApprovals: override.requiredApprovals === undefined ? "" : String(override.requiredApprovals),
      ...(Object.fromEntries(percentKeys.map((key) => [key, asPercentText(override[key])])) as Record<PercentKey, string>),
    })),
  };
}

type Parsed = { value: number | undefined; error: string | null };

/** A typed percentage as a fraction; empty is refused when required (never read as 0) and means "inherit" when not. */
export function parsePercent(text: string, spec: PercentSpec, required: boolean): Parsed {
  const trimmed = text.trim().replace(/%$/, "").trim();
  if (trimmed === "") return required ? { value: undefined, error: `Enter the ${spec.label.toLowerCase()} as a percentage.` } : { value: undefined, error: null };
  const number = Number(trimmed.replace(",", "."));
  if (!Number.isFinite(number)) return { value: undefined, error: "Enter a number, e.g. 3 for 3%." };
  const range = `between ${spec.min}% and ${spec.max}%`;
  if (number < spec.min || number > spec.max) return { value: undefined, error: `Must be ${range}.` };
  if (spec.aboveMin && number === spec.min) return { value: undefined, error: `Must be above ${spec.min}%.` };
  if (spec.belowMax && number === spec.max) return { value: undefined, error: `Must be below ${spec.max}%.` };
  return { value: Number((number / 100).toFixed(6)), error: null };
}

export type FormErrors = Record<string, string>;

/**
 * The update the form stands for, or the errors keyed by field path (`targetErrorRate`,
 * `categories.security.confidenceLevel`). Removed overrides are sent as null, as the API asks.
 */
export function updateOf(form: PolicyForm, savedCategories: string[]): { update: PolicyUpdate | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const fractions: Partial<Record<PercentKey, number>> = {};
  for (const key of percentKeys) {
    const parsed = parsePercent(form[key], percentSpecs[key], true);
    if (parsed.error) errors[key] = parsed.error;
    else fractions[key] = parsed.value;
  }
  const costText = form.maxCostUsd.trim();
  const cost = Number(costText);
  if (costText === "") errors.maxCostUsd = "Enter the maximum cost in US dollars.";
  else if (!Number.isFinite(cost)) errors.maxCostUsd = "Enter a number, e.g. 0.50.";
  else if (cost < 0 || cost > 1000) errors.maxCostUsd = "Must be between $0 and $1000.";

  const categories: NonNullable<PolicyUpdate["categories"]> = {};
  for (const row of form.categories) {
    const override: Record<string, number | boolean> = {};
    for (const key of percentKeys) {
      const parsed = parsePercent(row[key], percentSpecs[key], false);
      if (parsed.error) errors[`categories.${row.category}.${key}`] = parsed.error;
      else if (parsed.value !== undefined) override[key] = parsed.value;
    }
    if (row.alwaysReview) override.alwaysReview = row.alwaysReview === "yes";
    if (row.requiredApprovals) override.requiredApprovals = Number(row.requiredApprovals);
    if (Object.keys(override).length === 0 && !percentKeys.some((key) => errors[`categories.${row.category}.${key}`])) {
      errors[`categories.${row.category}`] = "Set at least one value, or remove this override.";
    }
    categories[row.category] = override;
  }
  for (const category of savedCategories) if (!(category in categories)) categories[category] = null;

  if (Object.keys(errors).length > 0) return { update: null, errors };
  return {
    update: {
      modelId: form.modelId,
      minConfidence: fractions.minConfidence,
      targetErrorRate: fractions.targetErrorRate,
      confidenceLevel: fractions.confidenceLevel,
      auditSampleRate: fractions.auditSampleRate,
      maxCostUsd: cost,
      alwaysReview: form.alwaysReview,
      requiredApprovals: Number(form.requiredApprovals),
      categories,
    },
    errors,
  };
}

/** What changed between two versions, in words ("target error rate 3% → 2%"). */
export function changesBetween(before: PolicyValues, after: PolicyValues): string[] {
  const changes: string[] = [];
  if (before.modelId !== after.modelId) changes.push(`model ${before.modelId} → ${after.modelId}`);
  for (const key of percentKeys) {
    if (before[key] !== after[key]) changes.push(`${percentSpecs[key].label.toLowerCase()} ${asPercentText(before[key])}% → ${asPercentText(after[key])}%`);
  }
  if (before.maxCostUsd !== after.maxCostUsd) changes.push(`max cost $${before.maxCostUsd} → $${after.maxCostUsd}`);
  if (before.alwaysReview !== after.alwaysReview) changes.push(after.alwaysReview ? "always review on" : "always review off");
  if (before.requiredApprovals !== after.requiredApprovals) changes.push(`approvals needed ${before.requiredApprovals} → ${after.requiredApprovals}`);
  const categories = new Set([...Object.keys(before.categories), ...Object.keys(after.categories)]);
  for (const category of categories) {
    const was = JSON.stringify(before.categories[category] ?? null);
    const now = JSON.stringify(after.categories[category] ?? null);
    if (was === now) continue;
    changes.push(!before.categories[category] ? `${category} override added` : !after.categories[category] ? `${category} override removed` : `${category} override changed`);
  }
  return changes.length > 0 ? changes : ["no value changed"];
}
