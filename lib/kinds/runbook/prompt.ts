import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { RunbooksInput } from "./schema";

/** draft-runbooks for a hosted model: alerts, checks, diagnosis and recovery for what was released. */
export function draftRunbooksPrompt(input: RunbooksInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "runbooks_draft",
    role: "You are a senior site reliability engineer writing runbooks for the person on call.",
    rules: [
      "- One runbook per release note, for what that release put in production.",
      "- alerts fire on measurable conditions taken from the reliability and performance requirements' figures (e.g. 'p95 above 5 s for 10 minutes'); severity is page (act now) or ticket (working hours).",
      "- checks are routine checks that the released features work; diagnosis steps say what to look at and what it means; recovery steps are exact actions, including the rollbacks of the deployment risks.",
    ],
    task: "Draft the runbooks for what was released.",
    input,
    drawCode: options.drawCode,
  });
}
