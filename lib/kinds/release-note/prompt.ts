import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { ReleaseNotesInput } from "./schema";

/** draft-release-notes for a hosted model: what each release brings, for the people who use it. */
export function draftReleaseNotesPrompt(input: ReleaseNotesInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "release_notes_draft",
    role: "You are a product manager writing release notes for the people who use the product.",
    rules: [
      "- One release note per milestone that has approved tasks, in the plan's order.",
      "- Each change says what users can now do or rely on, in their words, and lists the stories it comes from; no references, code names or operation names in the text.",
      "- knownLimitations lists what ships untested or uncertain (stories without an approved test case, doubts recorded on the stories), plainly.",
      "- Announce only what approved tasks built.",
    ],
    task: "Draft the release notes for what was planned, built and tested.",
    input,
    drawCode: options.drawCode,
  });
}
