import { checkUserStoryDraft } from "@/lib/requirements/quality";
import { userStoryContentSchema, type UserStoryContent } from "@/lib/requirements/schema";
import type { KindDefinition } from "./types";

/** A user story (requirements stage), drafted from approved requirements, with Given/When/Then criteria. */
export const definition = {
  kind: "user_story",
  stage: "requirements",
  prefix: "US",
  label: "User story",
  tone: "violet",
  readAs: "stories",
  contentSchema: userStoryContentSchema,
  fields: [
    { key: "role", label: "As a (role)", type: "text", lead: "As a " },
    { key: "goal", label: "I want (goal)", type: "longText", lead: ", I want " },
    { key: "benefit", label: "So that (benefit)", type: "longText", lead: ", so that " },
    { key: "acceptanceCriteria", label: "Acceptance criteria", type: "criteria" },
    { key: "requirementRefs", label: "From requirements", type: "references", readOnly: true },
  ],
  summary: (content: UserStoryContent) => `As a ${content.role}, I want ${content.goal}`,
  check: (content: UserStoryContent) => checkUserStoryDraft(content),
} as const satisfies KindDefinition<UserStoryContent>;
