import { canonicalJson } from "@/lib/audit/canonical-json";
import type { KindField } from "@/lib/kinds/types";

/**
 * What a stage owner may change when revising approved work: the fields its kind declares
 * editable. Everything else stays as drafted: the trace to its parents (derivedFrom, references,
 * quotes), which the links in the database mirror, and the drafter's own notes. Changing the
 * trace means re-running the stage, so the links are drafted again rather than typed over.
 */
export function isRevisable(field: KindField): boolean {
  return !field.readOnly && field.type !== "quotes" && field.type !== "reference" && field.type !== "references";
}

export type FieldIssue = { path: string; message: string };

/** The keys of a revision that touch what must stay as drafted, as 422 details (`content.<key>`). Pure. */
export function lockedChanges(fields: readonly KindField[], current: Record<string, unknown>, submitted: Record<string, unknown>): FieldIssue[] {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  return Object.keys(submitted).flatMap((key): FieldIssue[] => {
    const field = byKey.get(key);
    if (field && isRevisable(field)) return [];
    if (canonicalJson(submitted[key] ?? null) === canonicalJson(current[key] ?? null)) return [];
    if (field) return [{ path: `content.${key}`, message: `${field.label} is kept as drafted: it traces the work to its parents. Re-run the stage to change it.` }];
    if (key in current) return [{ path: `content.${key}`, message: "kept as drafted: a revision changes only the kind's editable fields" }];
    return [{ path: `content.${key}`, message: "not a field of this kind" }];
  });
}
