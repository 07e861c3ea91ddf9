import { compactFlags, missingFromTrace, untraced, type KindFlag, type KindCheckContext } from "../draft-parts";
import type { InterfaceContent } from "./schema";

export const interfaceFlagCodes = ["untraced", "operation_not_traced", "vague_operation", "duplicate_operation"] as const;
export type InterfaceFlag = KindFlag<(typeof interfaceFlagCodes)[number]>;

/** Verbs that name no behaviour: "handleBike" says nothing a caller can rely on. */
const VAGUE_VERBS = /^(?:handle|manage|process|do|perform|deal|run|execute)(?=[A-Z]|$)/;

/** Checks of one interface: every operation serves a story the interface traces to, and says what it does. */
export function checkInterface(item: InterfaceContent, context: KindCheckContext): InterfaceFlag[] {
  const vague = item.operations.filter((operation) => VAGUE_VERBS.test(operation.name)).map((operation) => operation.name);
  const names = item.operations.map((operation) => operation.name);
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  return compactFlags<InterfaceFlag>([
    untraced(item.derivedFrom, context.upstreamIds),
    missingFromTrace("operation_not_traced", [...new Set(item.operations.flatMap((operation) => operation.storyIds))], item.derivedFrom, "Operations serve stories"),
    vague.length > 0
      ? { code: "vague_operation", words: vague, message: `${vague.map((name) => `'${name}'`).join(", ")} ${vague.length === 1 ? "names" : "name"} no behaviour: say what the operation does (e.g. 'warnLowBattery', 'blockRental').` }
      : null,
    duplicates.length > 0
      ? { code: "duplicate_operation", words: [...new Set(duplicates)], message: `${[...new Set(duplicates)].map((name) => `'${name}'`).join(", ")} appears more than once: merge them and list every story each serves.` }
      : null,
  ]);
}
