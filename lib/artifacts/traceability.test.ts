import { describe, expect, it } from "vitest";
import { staleDescendants, traceabilityMatrix, type ArtifactLinkEdge } from "./traceability";

const link = (artifactId: string, parentId: string): ArtifactLinkEdge => ({ artifactId, parentId });

// REQ-1 -> US-1 -> (TC-1, TASK-1); REQ-2 -> US-2; US-1 and US-2 -> MS-1; TASK-1 -> RN-1
const chain = [
  link("US-1", "REQ-1"),
  link("US-2", "REQ-2"),
  link("MS-1", "US-1"),
  link("MS-1", "US-2"),
  link("TC-1", "US-1"),
  link("TASK-1", "US-1"),
  link("RN-1", "TASK-1"),
];

describe("staleDescendants", () => {
  it("marks everything derived from a change, directly or transitively, nearest first", () => {
    const stale = staleDescendants(chain, ["REQ-1"]);
    expect(stale.map((s) => s.id)).toEqual(["US-1", "MS-1", "TC-1", "TASK-1", "RN-1"]);
    expect(stale.every((s) => s.changedAncestors.join() === "REQ-1")).toBe(true);
  });

  it("leaves alone what does not derive from the change, and the change itself", () => {
    const ids = staleDescendants(chain, ["REQ-2"]).map((s) => s.id);
    expect(ids).toEqual(["US-2", "MS-1"]);
    expect(ids).not.toContain("REQ-2");
    expect(ids).not.toContain("US-1");
  });

  it("names every changed ancestor of an artifact reached from several", () => {
    const milestone = staleDescendants(chain, ["REQ-1", "REQ-2"]).find((s) => s.id === "MS-1");
    expect(milestone?.changedAncestors).toEqual(["REQ-1", "REQ-2"]);
  });

  it("lists an artifact reached by two paths once, at its nearest distance", () => {
    const stale = staleDescendants([link("RN-1", "TASK-1"), link("TASK-1", "US-1"), link("US-1", "REQ-1"), link("RN-1", "REQ-1")], ["REQ-1"]);
    expect(stale.map((s) => s.id)).toEqual(["US-1", "RN-1", "TASK-1"]);
  });

  it("marks a changed artifact stale when it derives from another change", () => {
    expect(staleDescendants(chain, ["REQ-1", "US-1"]).map((s) => s.id)).toContain("US-1");
    expect(staleDescendants(chain, ["US-1"]).map((s) => s.id)).not.toContain("US-1");
  });

  it("ends on a cycle, and returns nothing for an unknown or leaf id", () => {
    const cycle = [link("B", "A"), link("C", "B"), link("A", "C")];
    expect(staleDescendants(cycle, ["A"]).map((s) => s.id)).toEqual(["B", "C"]);
    expect(staleDescendants(chain, ["nope"])).toEqual([]);
    expect(staleDescendants(chain, ["RN-1"])).toEqual([]);
    expect(staleDescendants([], ["REQ-1"])).toEqual([]);
  });
});

describe("traceabilityMatrix", () => {
  const node = (id: string, kind: string, stale = false) => ({ id, ref: id, kind, stale });
  const nodes = [node("REQ-1", "requirement"), node("REQ-2", "requirement"), node("REQ-3", "requirement"), node("US-1", "user_story"), node("US-2", "user_story"), node("MS-1", "milestone"), node("TC-1", "test_case", true), node("TASK-1", "task"), node("RN-1", "release_note")];
  const kinds = ["requirement", "user_story", "milestone", "adr", "task", "test_case", "release_note"];

  it("lists under each requirement what was drafted from it, kind by kind, transitively", () => {
    const [first] = traceabilityMatrix(nodes, chain, "requirement", kinds);
    expect(first.root.id).toBe("REQ-1");
    expect(Object.keys(first.descendants)).toEqual(kinds.slice(1));
    expect(first.descendants.user_story.map((n) => n.id)).toEqual(["US-1"]);
    expect(first.descendants.release_note.map((n) => n.id)).toEqual(["RN-1"]);
    expect(first.descendants.test_case[0].stale).toBe(true);
    expect(first.missingKinds).toEqual([]);
  });

  it("names the gaps: kinds the project drafted of which nothing traces to a requirement", () => {
    const rows = traceabilityMatrix(nodes, chain, "requirement", kinds);
    expect(rows.find((row) => row.root.id === "REQ-2")!.missingKinds).toEqual(["task", "test_case", "release_note"]);
    // REQ-3 has no story at all; no ADR was drafted in the project, so none is missing.
    expect(rows.find((row) => row.root.id === "REQ-3")!.missingKinds).toEqual(["user_story", "milestone", "task", "test_case", "release_note"]);
  });
});
