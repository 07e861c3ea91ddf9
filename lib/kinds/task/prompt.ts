import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { TasksInput } from "./schema";

/** draft-tasks for a hosted model: one task per story, with a checkable definition of done; no code. */
export function draftTasksPrompt(input: TasksInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "tasks_draft",
    role: "You are a senior engineer planning the coding work. You break approved stories into tasks; you do not write code.",
    rules: [
      "- One task per story (storyId). 'build' lists the pieces of work in order, naming the interface operations and architecture decisions it follows.",
      "- definitionOfDone: one checkable item per acceptance criterion (a test that passes) and one per figure the requirements set (a measurement on staging), so a reviewer can tick each without judgement.",
      "- reviewChecklist: what a code reviewer must look at for this story (permissions, prohibitions enforced on the server, sensitive data, limits as settings, failure handling).",
      "- Do not write code, pseudo-code or file names.",
    ],
    task: "Draft the coding tasks for these approved stories, following the release plan and the design.",
    input,
    drawCode: options.drawCode,
  });
}
