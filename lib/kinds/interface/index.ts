import type { KindDefinition } from "../types";
import { checkInterface } from "./checks";
import { draftInterfacesPrompt } from "./prompt";
import { interfaceContentSchema, interfacesDraftSchema, interfacesInputSchema, type InterfaceContent } from "./schema";

/** The interface kind (design): what the kind registry and the stage engine need. */
export const definition = {
  kind: "interface",
  stage: "design",
  prefix: "IF",
  label: "Interface",
  contentSchema: interfaceContentSchema,
  fields: [
    { key: "name", label: "Name", type: "text" },
    { key: "entities", label: "Entities", type: "records", keys: ["name", "attributes"] },
    { key: "operations", label: "Operations", type: "records", keys: ["name", "actor", "input", "output", "storyIds"] },
  ],
  summary: (content: InterfaceContent) => `${content.name}: ${content.operations.map((operation) => operation.name).join(", ")}`,
  check: checkInterface,
  draftStep: { key: "draft-interfaces", outputName: "interfaces_draft", listKey: "interfaces", reads: ["requirement", "user_story"], inputSchema: interfacesInputSchema, outputSchema: interfacesDraftSchema, prompt: draftInterfacesPrompt },
} as const satisfies KindDefinition<InterfaceContent>;
