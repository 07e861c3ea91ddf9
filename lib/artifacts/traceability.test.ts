import { describe, expect, it } from "vitest";
import { criterionCoverage, filterTraceRows, gapChoices, namedGaps, staleDescendants, traceabilityMatrix, traceGaps, type ArtifactLinkEdge } from "./traceability";

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

describe("gaps and test coverage", () => {
  const fields = {
    requirement: [{ key: "statement", label: "Statement", type: "longText" }],
    user_story: [
      { key: "goal", label: "Goal", type: "longText" },
      { key: "acceptanceCriteria", label: "Acceptance criteria", type: "criteria" },
      { key: "requirementRefs", label: "From requirements", type: "references", readOnly: true },
    ],
    milestone: [{ key: "storyIds", label: "Stories", type: "references" }],
    task: [{ key: "storyId", label: "Story", type: "reference" }],
    test_case: [{ key: "storyId", label: "Story", type: "reference" }],
  } as const;
  const kinds = [
    { kind: "requirement", label: "Requirement", fields: fields.requirement },
    { kind: "user_story", label: "User story", fields: fields.user_story },
    { kind: "milestone", label: "Milestone", fields: fields.milestone },
    { kind: "task", label: "Task", fields: fields.task },
    { kind: "test_case", label: "Test case", fields: fields.test_case },
  ];
  const criterion = (n: number) => ({ given: `g${n}`, when: `w${n}`, then: `t${n}` });
  const node = (id: string, kind: string, content: Record<string, unknown>, stale = false) => ({ id, ref: id, kind, stale, summary: `summary of ${id}`, content });
  const nodes = [
    node("REQ-1", "requirement", {}),
    node("REQ-2", "requirement", {}),
    node("US-1", "user_story", { acceptanceCriteria: [criterion(1), criterion(2)], requirementRefs: ["REQ-1"] }),
    node("US-2", "user_story", { acceptanceCriteria: [criterion(3)], requirementRefs: ["REQ-1"] }, true),
    node("MS-1", "milestone", { storyIds: ["US-1", "US-2"] }),
    node("TASK-1", "task", { storyId: "US-1" }),
    node("TC-1", "test_case", { storyId: "US-1", criterionIndex: 1 }),
  ];
  const links = [link("US-1", "REQ-1"), link("US-2", "REQ-1"), link("MS-1", "US-1"), link("MS-1", "US-2"), link("TASK-1", "US-1"), link("TC-1", "US-1")];
  const order = kinds.map((info) => info.kind);
  const rows = traceabilityMatrix(nodes, links, "requirement", order);

  it("names a reference nobody makes, for the kinds that make such references, by id or by ref", () => {
    const gaps = namedGaps(nodes, kinds);
    expect(gaps.map((gap) => gap.message)).toEqual(["No user story names REQ-2", "No task names US-2", "No test case names US-2"]);
    expect(gaps.every((gap) => gap.code === "not_named")).toBe(true);
  });

  it("lists every criterion with the tests that name its story and its index, flagging those with none", () => {
    const coverage = criterionCoverage(nodes, kinds, ["test_case"]);
    expect(coverage.map((entry) => [entry.artifact.id, entry.index, entry.tests.map((test) => test.id)])).toEqual([
      ["US-1", 0, []],
      ["US-1", 1, ["TC-1"]],
      ["US-2", 0, []],
    ]);
    expect(coverage[2].criterion).toEqual(criterion(3));
  });

  it("gathers the gaps artifact by artifact: untested roots, references nobody makes, untested criteria; not kinds nothing asks for per artifact", () => {
    const gaps = traceGaps(rows, nodes, kinds, ["test_case"]);
    expect(gaps.map((gap) => `${gap.code} ${gap.message}`)).toEqual([
      "no_trace No test case traces to REQ-2",
      "not_named No user story names REQ-2",
      "untested_criterion Criterion 1 of US-1 has no test case",
      "not_named No task names US-2",
      "not_named No test case names US-2",
      "untested_criterion Criterion 1 of US-2 has no test case",
    ]);
    expect(gaps.find((gap) => gap.code === "untested_criterion")).toMatchObject({ artifactId: "US-1", criterionIndex: 0, kind: "test_case" });
  });

  it("offers a gap filter for each kind something is missing, and for untested criteria, with counts", () => {
    const gaps = traceGaps(rows, nodes, kinds, ["test_case"]);
    expect(gapChoices(gaps, kinds)).toEqual([
      { value: "user_story", label: "Missing user story", count: 1 },
      { value: "task", label: "Missing task", count: 1 },
      { value: "test_case", label: "Missing test case", count: 2 },
      { value: "untested_criterion", label: "Criterion without a test", count: 2 },
    ]);
  });

  it("filters rows by gap, kind, stale work and text", () => {
    const gaps = traceGaps(rows, nodes, kinds, ["test_case"]);
    const ids = (filter: Parameters<typeof filterTraceRows>[2]) => filterTraceRows(rows, gaps, filter).map((row) => row.root.id);
    expect(ids({})).toEqual(["REQ-1", "REQ-2"]);
    // A requirement without a story, and a chain with a story without a task.
    expect(ids({ gap: "user_story" })).toEqual(["REQ-2"]);
    expect(ids({ gap: "task" })).toEqual(["REQ-1"]);
    expect(ids({ gap: "untested_criterion" })).toEqual(["REQ-1"]);
    expect(ids({ gap: "milestone" })).toEqual([]);
    expect(ids({ gap: "any" })).toEqual(["REQ-1", "REQ-2"]);
    expect(ids({ stale: true })).toEqual(["REQ-1"]);
    expect(ids({ q: "summary of tc-1" })).toEqual(["REQ-1"]);
    expect(ids({ q: "nothing like it" })).toEqual([]);
    const [onlyTests] = filterTraceRows(rows, gaps, { kind: "test_case" });
    expect(Object.keys(onlyTests.descendants)).toEqual(["test_case"]);
    expect(filterTraceRows(rows, gaps, { kind: "test_case" })[1].missingKinds).toEqual(["test_case"]);
  });
});
