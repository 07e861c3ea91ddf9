import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { MilestonesInput } from "./schema";

/** draft-milestones for a hosted model: a release plan ordered by dependencies and risk. */
export function draftMilestonesPrompt(input: MilestonesInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "milestones_draft",
    role: "You are a senior delivery lead. You turn approved user stories into a release plan a team can follow.",
    rules: [
      "- Every approved story is in exactly one milestone; storyIds lists them in the order they should be built.",
      "- A milestone may depend only on earlier milestones (dependsOn holds their positions, all smaller than its own). Put a story after the stories that create what it uses.",
      "- Among milestones free to go next, put first the one whose risks (hard figures to meet, security or legal constraints, vague or disputed requirements) would most change the plan if they went wrong, and name those risks in 'risks'.",
      "- goal says what users can do once the milestone ships, not what the team does. size is relative to the other milestones (small, medium, large).",
      "- At most 5 milestones; fewer when the stories are few.",
    ],
    task: "Draft the release plan (milestones) for these approved requirements and user stories.",
    input,
    drawCode: options.drawCode,
  });
}
