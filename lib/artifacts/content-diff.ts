import { diffWords } from "diff";
import type { KindField } from "@/lib/kinds/types";

/**
 * What changed between two contents of one kind, field by field and word by word, for people
 * comparing a re-drafted artifact with the approved one it replaces. Fields are read through
 * their declared type (lib/kinds), so every kind diffs the same way.
 */
export type DiffPart = { value: string; change: "added" | "removed" | "same" };
export type FieldDiff = { field: string; label: string; parts: DiffPart[] };

const text = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function recordText(value: unknown, keys: readonly string[] | undefined): string {
  if (typeof value !== "object" || value === null) return "";
  const record = value as Record<string, unknown>;
  return (keys ?? Object.keys(record)).map((key) => `${key}: ${Array.isArray(record[key]) ? list(record[key]).map(text).join(", ") : text(record[key])}`).join("; ");
}

/**
 * A field as one text: lines for lists, "given/when/then" sentences for criteria, key: value for
 * records. `refs` names the artifacts a reference field holds by id, so a diff shows US-3, not an id.
 */
export function fieldText(field: KindField, value: unknown, refs: Readonly<Record<string, string>> = {}): string {
  switch (field.type) {
    case "text":
    case "longText":
    case "number":
    case "choice":
      return text(value);
    case "numbers":
    case "list":
      return list(value).map(text).join("\n");
    case "reference":
      return refs[text(value)] ?? text(value);
    case "references":
      return list(value).map((id) => refs[text(id)] ?? text(id)).join(", ");
    case "criteria":
      return list(value).map((criterion) => recordText(criterion, ["given", "when", "then"]).replace(/(given|when|then): /g, "$1 ")).join("\n");
    case "record":
      return recordText(value, field.keys);
    case "pairs":
    case "records":
      return list(value).map((row) => recordText(row, field.keys)).join("\n");
    case "quotes":
      return list(value).map((quote) => `“${text((quote as { quote?: unknown } | null)?.quote)}”`).join("\n");
  }
}

/** The fields that differ, each as a word diff (old words removed, new words added); empty when nothing differs. */
export function contentDiff(fields: readonly KindField[], before: unknown, after: unknown, refs: Readonly<Record<string, string>> = {}): FieldDiff[] {
  const read = (content: unknown, key: string) => ((content ?? {}) as Record<string, unknown>)[key];
  return fields.flatMap((field) => {
    const old = fieldText(field, read(before, field.key), refs);
    const now = fieldText(field, read(after, field.key), refs);
    if (old === now) return [];
    const parts = diffWords(old, now).map((change): DiffPart => ({ value: change.value, change: change.added ? "added" : change.removed ? "removed" : "same" }));
    return [{ field: field.key, label: field.label, parts }];
  });
}

/** A content as one text, field by field, for comparing whole drafts. */
export function contentText(fields: readonly KindField[], content: unknown): string {
  const values = (content ?? {}) as Record<string, unknown>;
  return fields.map((field) => fieldText(field, values[field.key])).join("\n");
}
