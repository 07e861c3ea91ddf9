import type { KindDefinition } from "../types";
import { checkTask } from "./checks";
import { draftTasksPrompt } from "./prompt";
import { taskContentSchema, tasksDraftSchema, tasksInputSchema, type TaskContent } from "./schema";

/** The task kind (coding): what the kind registry and the stage engine need. */
export const definition = {
  kind: "task",
  stage: "coding",
  prefix: "TASK",
  label: "Task",
  contentSchema: taskContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "storyId", label: "Story", type: "reference" },
    { key: "build", label: "What to build", type: "list" },
    { key: "definitionOfDone", label: "Definition of done", type: "list" },
    { key: "reviewChecklist", label: "Review checklist", type: "list" },
  ],
  summary: (content: TaskContent) => content.title,
  check: checkTask,
  draftStep: {
    key: "draft-tasks",
    outputName: "tasks_draft",
    listKey: "tasks",
    reads: ["requirement", "user_story", "milestone", "adr", "interface"],
    inputSchema: tasksInputSchema,
    outputSchema: tasksDraftSchema,
    prompt: draftTasksPrompt,
  },
} as const satisfies KindDefinition<TaskContent>;
