import type { KindDefinition } from "../types";
import { checkReleaseNote } from "./checks";
import { draftReleaseNotesPrompt } from "./prompt";
import { releaseNoteContentSchema, releaseNotesDraftSchema, releaseNotesInputSchema, type ReleaseNoteContent } from "./schema";

/** The release note kind (deployment): what the kind registry and the stage engine need. */
export const definition = {
  kind: "release_note",
  stage: "deployment",
  prefix: "RN",
  label: "Release note",
  contentSchema: releaseNoteContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "summary", label: "Summary", type: "longText" },
    { key: "changes", label: "Changes", type: "records", keys: ["description", "storyIds"] },
    { key: "knownLimitations", label: "Known limitations", type: "list" },
  ],
  summary: (content: ReleaseNoteContent) => content.title,
  check: checkReleaseNote,
  draftStep: {
    key: "draft-release-notes",
    outputName: "release_notes_draft",
    listKey: "releaseNotes",
    reads: ["requirement", "user_story", "milestone", "task", "test_case"],
    inputSchema: releaseNotesInputSchema,
    outputSchema: releaseNotesDraftSchema,
    prompt: draftReleaseNotesPrompt,
  },
} as const satisfies KindDefinition<ReleaseNoteContent>;
