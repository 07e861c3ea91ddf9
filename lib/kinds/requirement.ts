import { checkRequirementQuality } from "@/lib/requirements/quality";
import { requirementCategories, requirementContentSchema, type RequirementContent } from "@/lib/requirements/schema";
import type { KindDefinition } from "./types";

/** A requirement (requirements stage): one verifiable statement, quoted from the project's sources. */
export const definition = {
  kind: "requirement",
  stage: "requirements",
  prefix: "REQ",
  label: "Requirement",
  tone: "accent",
  contentSchema: requirementContentSchema,
  categories: requirementCategories,
  fields: [
    { key: "statement", label: "Statement", type: "longText" },
    { key: "category", label: "Category", type: "choice", options: requirementCategories, category: true },
    { key: "sources", label: "Sources", type: "quotes", readOnly: true },
  ],
  summary: (content: RequirementContent) => content.statement,
  check: (content: RequirementContent) => checkRequirementQuality(content.statement, content.category),
} as const satisfies KindDefinition<RequirementContent>;
