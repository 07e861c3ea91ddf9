import { describe, expect, it } from "vitest";
import type { KindField } from "@/lib/kinds/types";
import { isRevisable, lockedChanges } from "./revisable";

const fields: KindField[] = [
  { key: "statement", label: "Statement", type: "longText" },
  { key: "category", label: "Category", type: "choice", options: ["security"] },
  { key: "sources", label: "Sources", type: "quotes", readOnly: true },
  { key: "storyId", label: "Story", type: "reference" },
];
const current = { statement: "Members renew online.", category: "security", sources: [{ sourceId: "s1", quote: "renew" }], storyId: "us-1", derivedFrom: ["req-1"] };

describe("what a revision may change", () => {
  it("offers the kind's editable fields, not its trace", () => {
    expect(fields.filter(isRevisable).map((field) => field.key)).toEqual(["statement", "category"]);
  });

  it("lets editable fields change and untouched or unchanged trace fields pass", () => {
    expect(lockedChanges(fields, current, { statement: "Members renew online, 3 times." })).toEqual([]);
    expect(lockedChanges(fields, current, { ...current, statement: "changed" })).toEqual([]);
  });

  it("names each changed field that is kept as drafted, and keys the kind does not have", () => {
    const issues = lockedChanges(fields, current, { sources: [], storyId: "us-2", derivedFrom: ["req-9"], colour: "red" });
    expect(issues.map((issue) => issue.path)).toEqual(["content.sources", "content.storyId", "content.derivedFrom", "content.colour"]);
    expect(issues[0].message).toMatch(/Sources is kept as drafted/);
    expect(issues[3].message).toBe("not a field of this kind");
  });
});
