import placeholders from "./placeholders.json";

/**
 * Placeholder text per field ("fix it", "tbd", "none"), kept as data in placeholders.json so the
 * kinds' checks share one list and one rule for matching it.
 */
export type PlaceholderField = Exclude<keyof typeof placeholders, "$comment" | "allowTrailing">;

const TRAILING_FILLER = /^[^,;]{0,20}$/;

const phrases = new Map(
  (Object.keys(placeholders) as (keyof typeof placeholders)[])
    .filter((field): field is PlaceholderField => field !== "$comment" && field !== "allowTrailing")
    .map((field) => [field, new Set(placeholders[field].map((phrase) => phrase.toLowerCase()))]),
);
const trailingAllowed = new Set<string>(placeholders.allowTrailing);

/** True when the text only fills the field: one of its placeholder phrases, or (where allowed) one followed by a few empty words. */
export function isPlaceholder(field: PlaceholderField, text: string): boolean {
  const normalized = text.trim().toLowerCase().replace(/\.$/, "");
  const known = phrases.get(field)!;
  if (known.has(normalized)) return true;
  if (!trailingAllowed.has(field)) return false;
  for (const phrase of known) {
    if (normalized.startsWith(phrase) && /^\W/.test(normalized.slice(phrase.length)) && TRAILING_FILLER.test(normalized.slice(phrase.length))) return true;
  }
  return false;
}
