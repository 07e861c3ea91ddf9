import { compactFlags, missingFromTrace, untraced, type KindFlag, type KindCheckContext } from "../draft-parts";
import type { ReleaseNoteContent } from "./schema";

export const releaseNoteFlagCodes = ["untraced", "change_not_traced", "internal_wording"] as const;
export type ReleaseNoteFlag = KindFlag<(typeof releaseNoteFlagCodes)[number]>;

/** Words for the team, not for the people reading a release note: references, code names, ticket ids. */
const INTERNAL = /\b(?:(?:US|REQ|MS|ADR|IF|TASK|TC|RN|RISK|RB)-\d+|[a-z]+[A-Z]\w*|refactor(?:ed|ing)?|endpoints?|API)\b/g;

/** Checks of one release note: every change traces to a story it announces, in words its readers use. */
export function checkReleaseNote(note: ReleaseNoteContent, context: KindCheckContext): ReleaseNoteFlag[] {
  const internal = [...new Set(note.changes.flatMap((change) => change.description.match(INTERNAL) ?? []))];
  return compactFlags<ReleaseNoteFlag>([
    untraced(note.derivedFrom, context.upstreamIds),
    missingFromTrace("change_not_traced", [...new Set(note.changes.flatMap((change) => change.storyIds))], note.derivedFrom, "Changes announce stories"),
    internal.length > 0
      ? { code: "internal_wording", words: internal, message: `${internal.map((word) => `'${word}'`).join(", ")} means something to the team, not to the people reading the note: say what they can now do.` }
      : null,
  ]);
}
