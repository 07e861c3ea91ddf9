import { entityKeys } from "@/lib/models/offline/stages/reading";
import { compactFlags, untraced, vagueWordsIn, type KindFlag, type KindCheckContext } from "../draft-parts";
import { isPlaceholder } from "../placeholders";
import type { AdrContent, Alternative } from "./schema";

export const adrFlagCodes = ["untraced", "no_real_alternative", "vague_decision"] as const;
export type AdrFlag = KindFlag<(typeof adrFlagCodes)[number]>;

/** Why an alternative is not a real one, or null when it is. */
function hollowAlternative(alternative: Alternative, decision: string): string | null {
  if (isPlaceholder("alternative", alternative.option)) return `'${alternative.option}' is not an option anyone could choose`;
  if (isPlaceholder("rejectionReason", alternative.whyNot)) return `'${alternative.option}' is rejected without a reason ('${alternative.whyNot}')`;
  const option = entityKeys(alternative.option);
  const chosen = entityKeys(decision);
  if (option.size > 0 && [...option].every((key) => chosen.has(key))) return `'${alternative.option}' is the decision itself again`;
  return null;
}

/** Checks of one architecture decision record. */
export function checkAdr(adr: AdrContent, context: KindCheckContext): AdrFlag[] {
  const hollow = adr.alternatives.map((alternative) => hollowAlternative(alternative, adr.decision)).filter((reason): reason is string => reason !== null);
  const real = adr.alternatives.length - hollow.length;
  const vague = vagueWordsIn(adr.decision);
  return compactFlags<AdrFlag>([
    untraced(adr.derivedFrom, context.upstreamIds),
    real === 0
      ? {
          code: "no_real_alternative",
          words: adr.alternatives.map((alternative) => alternative.option),
          message: `${adr.alternatives.length === 0 ? "No alternative is listed" : `No real alternative: ${hollow.join("; ")}`}. A decision without a rival cannot be reviewed: name at least one other way to meet the constraint and why it lost.`,
        }
      : null,
    vague.length > 0
      ? { code: "vague_decision", words: vague, message: `The decision says ${vague.map((word) => `'${word}'`).join(", ")}: whoever builds it decides what that means. State what is chosen.` }
      : null,
  ]);
}
