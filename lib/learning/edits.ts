import { distance } from "fastest-levenshtein";
import { canonicalJson } from "@/lib/audit/canonical-json";

/**
 * How much people changed a draft: which top-level fields differ, and a normalised edit distance
 * (0 = unchanged, 1 = nothing in common) over the canonical text of the whole content.
 */
export type EditMeasure = { changedFields: string[]; editDistance: number };

export function measureEdit(before: Record<string, unknown>, after: Record<string, unknown>): EditMeasure {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changedFields = keys.filter((key) => canonicalJson(before[key] ?? null) !== canonicalJson(after[key] ?? null));
  if (changedFields.length === 0) return { changedFields, editDistance: 0 };
  const [a, b] = [canonicalJson(before), canonicalJson(after)];
  return { changedFields, editDistance: round(distance(a, b) / Math.max(a.length, b.length, 1)) };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
