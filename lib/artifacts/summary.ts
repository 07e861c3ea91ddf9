import { kindDefinition, parseContent } from "@/lib/kinds/registry";

/** The one line that names an artifact in lists, exports and the matrix, by its kind's definition; empty when the stored content no longer fits its contract. */
export function artifactSummary(kind: string, content: unknown): string {
  const parsed = parseContent(kind, content);
  return parsed.success ? kindDefinition(kind).summary(parsed.data) : "";
}
