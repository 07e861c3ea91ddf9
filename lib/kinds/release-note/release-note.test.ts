import { describe, expect, it } from "vitest";
import { checkReleaseNote } from "./checks";
import { releaseNoteContentSchema, type ReleaseNoteContent } from "./schema";

const note: ReleaseNoteContent = {
  title: "Release 3: Refunds",
  summary: "2 changes for riders.",
  changes: [
    { description: "Riders can now request a refund.", storyIds: ["us-6"] },
    { description: "Every refund above 20 euros is approved by a supervisor.", storyIds: ["us-12"] },
  ],
  knownLimitations: [],
  derivedFrom: ["ms-3", "us-6", "us-12", "t-6", "t-12"],
  unsure: null,
};
const context = { upstreamIds: new Set(["ms-3", "us-6", "us-12", "t-6", "t-12"]) };

describe("release note", () => {
  it("accepts a note and refuses one without changes", () => {
    expect(releaseNoteContentSchema.safeParse(note).success).toBe(true);
    expect(releaseNoteContentSchema.safeParse({ ...note, changes: [] }).error?.issues[0].message).toBe("a release note lists at least one change");
  });

  it("raises nothing on a note in its readers' words", () => {
    expect(checkReleaseNote(note, context)).toEqual([]);
  });

  it("flags the team's words: references and operation names", () => {
    const [flag] = checkReleaseNote({ ...note, changes: [{ description: "US-6: requestRefund( endpoint added.", storyIds: ["us-6"] }] }, context);
    expect(flag).toMatchObject({ code: "internal_wording", words: ["US-6", "requestRefund", "endpoint"] });
  });

  it("flags a change announcing a story the note does not trace to", () => {
    expect(checkReleaseNote({ ...note, derivedFrom: ["ms-3", "us-6"] }, context).map((flag) => [flag.code, flag.words])).toEqual([["change_not_traced", ["us-12"]]]);
  });
});
