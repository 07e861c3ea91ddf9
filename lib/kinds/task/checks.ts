import { compactFlags, hasFigure, missingFromTrace, untraced, vagueWordsIn, type KindFlag, type KindCheckContext } from "../draft-parts";
import { isPlaceholder } from "../placeholders";
import type { TaskContent } from "./schema";

export const taskFlagCodes = ["untraced", "story_not_traced", "uncheckable_done"] as const;
export type TaskFlag = KindFlag<(typeof taskFlagCodes)[number]>;

/** What makes a definition-of-done item checkable: a test, a measurement, a demonstration, a review, or a figure. */
const OBSERVABLE = /\b(?:test|tests|tested|passes|pass|measured|measure|shown|demonstrated|reviewed|approved|merged|deployed|documented|returns|responds|logged|recorded|visible|displays|shows|p\d{2})\b/i;

/** Checks of one task: its story is among its parents, and each definition-of-done item is something a reviewer can check. */
export function checkTask(task: TaskContent, context: KindCheckContext): TaskFlag[] {
  const uncheckable = task.definitionOfDone.filter((item) => isPlaceholder("doneItem", item) || vagueWordsIn(item).length > 0 || !(OBSERVABLE.test(item) || hasFigure(item)));
  return compactFlags<TaskFlag>([
    untraced(task.derivedFrom, context.upstreamIds),
    missingFromTrace("story_not_traced", [task.storyId], task.derivedFrom, "The task builds the story"),
    uncheckable.length > 0
      ? {
          code: "uncheckable_done",
          words: uncheckable,
          message: `${uncheckable.map((item) => `'${item}'`).join(", ")} cannot be checked: a reviewer needs a test that passes, a measured figure or a demonstration, not a judgement.`,
        }
      : null,
  ]);
}
