import type { KindDefinition } from "../types";
import { checkMilestone } from "./checks";
import { draftMilestonesPrompt } from "./prompt";
import { milestoneContentSchema, milestonesDraftSchema, milestonesInputSchema, milestoneSizes, type MilestoneContent } from "./schema";

/** The milestone kind (planning): what the kind registry and the stage engine need. */
export const definition = {
  kind: "milestone",
  stage: "planning",
  prefix: "MS",
  label: "Milestone",
  contentSchema: milestoneContentSchema,
  fields: [
    { key: "position", label: "Position", type: "number" },
    { key: "title", label: "Title", type: "text" },
    { key: "goal", label: "Goal", type: "longText" },
    { key: "storyIds", label: "Stories, in build order", type: "references" },
    { key: "dependsOn", label: "Depends on milestones", type: "numbers" },
    { key: "size", label: "Size", type: "choice", options: milestoneSizes },
    { key: "risks", label: "Risks that drive the order", type: "list" },
  ],
  summary: (content: MilestoneContent) => `${content.position}. ${content.title}`,
  check: checkMilestone,
  draftStep: { key: "draft-milestones", outputName: "milestones_draft", listKey: "milestones", reads: ["requirement", "user_story"], inputSchema: milestonesInputSchema, outputSchema: milestonesDraftSchema, prompt: draftMilestonesPrompt },
} as const satisfies KindDefinition<MilestoneContent>;
