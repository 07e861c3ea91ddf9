import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { InterfacesInput } from "./schema";

/** draft-interfaces for a hosted model: entities and operations, each operation traced to the stories it serves. */
export function draftInterfacesPrompt(input: InterfacesInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "interfaces_draft",
    role: "You are a senior software designer. You design the interfaces (entities and operations) the approved user stories need.",
    rules: [
      "- One interface per entity the stories act on; its attributes are the ones the stories and requirements name.",
      "- Each operation is named verb + entity (e.g. requestRefund), names its caller (actor), what the caller provides (input) and what the caller then observes (output), and lists in storyIds every story it serves.",
      "- An operation serves at least one story; a story that needs no operation (a quality target) is left to the architecture decisions.",
      "- Name behaviour, not plumbing: no 'handle', 'manage' or 'process' operations.",
    ],
    task: "Draft the interfaces for these approved user stories.",
    input,
    drawCode: options.drawCode,
  });
}
