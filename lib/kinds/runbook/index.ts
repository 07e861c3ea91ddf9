import type { KindDefinition } from "../types";
import { checkRunbook } from "./checks";
import { draftRunbooksPrompt } from "./prompt";
import { alertSeverities, runbookContentSchema, runbooksDraftSchema, runbooksInputSchema, type RunbookContent } from "./schema";

/** The runbook kind (operations): what the kind registry and the stage engine need. */
export const definition = {
  kind: "runbook",
  stage: "operations",
  prefix: "RB",
  label: "Runbook",
  contentSchema: runbookContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "service", label: "Covers", type: "text" },
    { key: "alerts", label: "Alerts", type: "records", keys: ["name", "condition", "severity"], options: alertSeverities },
    { key: "checks", label: "Routine checks", type: "list" },
    { key: "diagnosis", label: "Diagnosis", type: "list" },
    { key: "recovery", label: "Recovery", type: "list" },
  ],
  summary: (content: RunbookContent) => content.title,
  check: checkRunbook,
  draftStep: {
    key: "draft-runbooks",
    outputName: "runbooks_draft",
    listKey: "runbooks",
    reads: ["requirement", "user_story", "adr", "release_note", "deployment_risk"],
    inputSchema: runbooksInputSchema,
    outputSchema: runbooksDraftSchema,
    prompt: draftRunbooksPrompt,
  },
} as const satisfies KindDefinition<RunbookContent>;
