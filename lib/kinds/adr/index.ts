import type { KindDefinition } from "../types";
import { checkAdr } from "./checks";
import { draftAdrsPrompt } from "./prompt";
import { adrContentSchema, adrsDraftSchema, adrsInputSchema, type AdrContent } from "./schema";

/** The architecture decision record kind (design): what the kind registry and the stage engine need. */
export const definition = {
  kind: "adr",
  stage: "design",
  prefix: "ADR",
  label: "Architecture decision",
  contentSchema: adrContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "context", label: "Context", type: "longText" },
    { key: "decision", label: "Decision", type: "longText" },
    { key: "alternatives", label: "Alternatives considered", type: "pairs", keys: ["option", "whyNot"] },
    { key: "consequences", label: "Consequences", type: "list" },
  ],
  summary: (content: AdrContent) => content.title,
  check: checkAdr,
  draftStep: { key: "draft-adrs", outputName: "adrs_draft", listKey: "adrs", reads: ["requirement", "user_story", "milestone"], inputSchema: adrsInputSchema, outputSchema: adrsDraftSchema, prompt: draftAdrsPrompt },
} as const satisfies KindDefinition<AdrContent>;
