import { compactFlags, missingFromTrace, untraced, vagueWordsIn, type KindFlag, type KindCheckContext } from "../draft-parts";
import type { MilestoneContent } from "./schema";

export const milestoneFlagCodes = ["untraced", "story_not_traced", "depends_on_later", "vague_goal", "oversized"] as const;
export type MilestoneFlag = KindFlag<(typeof milestoneFlagCodes)[number]>;

/** More stories than this in one milestone and it is a release, not a step: nobody can see its progress. */
const MAX_STORIES = 8;

/** Checks of one milestone of a release plan. */
export function checkMilestone(milestone: MilestoneContent, context: KindCheckContext): MilestoneFlag[] {
  const later = milestone.dependsOn.filter((position) => position >= milestone.position);
  const vague = vagueWordsIn(milestone.goal);
  return compactFlags<MilestoneFlag>([
    untraced(milestone.derivedFrom, context.upstreamIds),
    missingFromTrace("story_not_traced", milestone.storyIds, milestone.derivedFrom, "The milestone holds stories"),
    later.length > 0
      ? {
          code: "depends_on_later",
          words: later.map(String),
          message: `Milestone ${milestone.position} depends on milestone ${later.join(", ")}, which ${later.length === 1 ? "ships" : "ship"} at the same time or later: it cannot be finished in this order. Move it after them or drop the dependency.`,
        }
      : null,
    vague.length > 0
      ? { code: "vague_goal", words: vague, message: `The goal says ${vague.map((word) => `'${word}'`).join(", ")}: nobody can tell when the milestone has reached it. Say what users can do once it ships.` }
      : null,
    milestone.storyIds.length > MAX_STORIES
      ? { code: "oversized", words: [String(milestone.storyIds.length)], message: `${milestone.storyIds.length} stories in one milestone (more than ${MAX_STORIES}): split it so progress and risk show before the end.` }
      : null,
  ]);
}
