import { describe, expect, it } from "vitest";
import { contentDiff } from "./content-diff";
import { pairReplacements, planRedraft, redraftState, replacementsOf, resolveParents, type LineageNode, type ReplacementRecord } from "./redraft";
import { definition as testCase } from "@/lib/kinds/test-case";

const node = (id: string, change: Partial<LineageNode> = {}): LineageNode => ({
  id,
  ref: id.toUpperCase(),
  kind: "user_story",
  stageId: "requirements",
  runId: "run1",
  status: "approved",
  stale: false,
  staleReason: null,
  parents: [],
  ...change,
});

function graph(nodes: LineageNode[], records: ReplacementRecord[] = [], sources: string[] = []) {
  return { nodes: new Map(nodes.map((n) => [n.id, n])), records, sources: new Set(sources) };
}

describe("resolveParents", () => {
  it("takes a fresh approved parent as it is, and drops a rejected one", () => {
    const g = graph([node("req1"), node("req2", { status: "auto_approved" }), node("req3", { status: "rejected" })]);
    expect(resolveParents(["req1", "req2", "req3"], g)).toEqual({ from: ["req1", "req2"], waitingOn: [] });
  });

  it("waits for a parent that is stale itself or still undecided, saying which", () => {
    const g = graph([node("us1", { stale: true }), node("req1", { status: "pending_review" })]);
    expect(resolveParents(["us1", "req1"], g)).toEqual({
      from: [],
      waitingOn: [
        { id: "us1", ref: "US1", stageId: "requirements", why: "stale" },
        { id: "req1", ref: "REQ1", stageId: "requirements", why: "undecided" },
      ],
    });
  });

  it("follows a parent a re-draft replaced to what replaced it, transitively, and waits while that is undecided", () => {
    const records: ReplacementRecord[] = [
      { runId: "run2", kind: "user_story", replaced: [{ id: "us1", ref: "US-1", from: ["req1"] }] },
      { runId: "run3", kind: "user_story", replaced: [{ id: "us2", ref: "US-2", from: ["req1"] }] },
    ];
    const nodes = [
      node("req1"),
      node("us1", { status: "superseded", stale: true, parents: ["req1"] }),
      node("us2", { status: "superseded", runId: "run2", parents: ["req1"] }),
      node("us3", { runId: "run3", parents: ["req1"] }),
      node("us4", { runId: "run3", status: "pending_review", parents: ["req1"] }),
      // same run and kind, drafted from something else: not a replacement
      node("us5", { runId: "run3", parents: ["req9"] }),
    ];
    expect(replacementsOf("us1", records, new Map(nodes.map((n) => [n.id, n]))).map((n) => n.id)).toEqual(["us2"]);
    expect(resolveParents(["us1"], graph(nodes, records))).toEqual({ from: ["us3"], waitingOn: [{ id: "us4", ref: "US4", stageId: "requirements", why: "undecided" }] });
  });

  it("drops a parent superseded by a full run (no replacement recorded), and counts existing sources as current", () => {
    const g = graph([node("req1", { status: "superseded" })], [], ["source1"]);
    expect(resolveParents(["req1", "source1", "gone"], g)).toEqual({ from: ["source1"], waitingOn: [] });
  });
});

describe("planRedraft", () => {
  it("lists the stage's stale work from other runs, each ready, waiting or orphaned", () => {
    const nodes = [
      node("us1"),
      node("us2", { stale: true }),
      node("tc1", { kind: "test_case", stageId: "testing", stale: true, parents: ["us1"] }),
      node("tc2", { kind: "test_case", stageId: "testing", stale: true, parents: ["us2"] }),
      node("tc3", { kind: "test_case", stageId: "testing", stale: true, parents: ["gone"] }),
      node("tc4", { kind: "test_case", stageId: "testing", stale: true, status: "superseded", parents: ["us1"] }),
      node("tc5", { kind: "test_case", stageId: "testing", stale: true, runId: "now", parents: ["us1"] }),
      node("tc6", { kind: "test_case", stageId: "testing", parents: ["us1"] }),
    ];
    const plan = planRedraft("testing", graph(nodes), "now");
    expect(plan.map((item) => [item.id, redraftState(item)])).toEqual([
      ["tc1", "ready"],
      ["tc2", "waiting"],
      ["tc3", "orphaned"],
    ]);
  });
});

describe("pairReplacements", () => {
  it("pairs each new draft with the most alike replaced artifact it shares a basis with, one to one", () => {
    const drafts = [
      { id: "new-a", basis: ["us1"], text: "renewal confirmed within 2 seconds" },
      { id: "new-b", basis: ["us1"], text: "overdue notice sent one day before" },
      { id: "new-c", basis: ["us9"], text: "renewal confirmed" },
    ];
    const replaced = [
      { id: "old-b", from: ["us1"], text: "overdue notice sent a day before" },
      { id: "old-a", from: ["us1"], text: "renewal confirmed" },
    ];
    expect(Object.fromEntries(pairReplacements(drafts, replaced))).toEqual({ "new-a": "old-a", "new-b": "old-b" });
  });

  it("pairs a draft left over with the most alike anyway", () => {
    const drafts = [
      { id: "new-a", basis: ["r"], text: "alpha beta" },
      { id: "new-b", basis: ["r"], text: "alpha gamma" },
    ];
    expect(Object.fromEntries(pairReplacements(drafts, [{ id: "old", from: ["r"], text: "alpha beta" }]))).toEqual({ "new-a": "old", "new-b": "old" });
  });
});

describe("contentDiff", () => {
  it("diffs only the fields that changed, word by word, naming referenced artifacts by reference", () => {
    const before = { title: "Renew a loan", storyId: "s1", criterion: { given: "a loan", when: "renewed", then: "it is confirmed" }, given: "g", when: "w", then: "t", type: "functional", priority: "medium" };
    const after = { ...before, storyId: "s2", criterion: { ...before.criterion, then: "it is confirmed within 2 seconds" } };
    const changes = contentDiff(testCase.fields, before, after, { s1: "US-1", s2: "US-7" });
    expect(changes.map((change) => change.field)).toEqual(["storyId", "criterion"]);
    // The parts put back together read as the old and the new value.
    const side = (change: "removed" | "added") => changes[0].parts.filter((part) => part.change !== change).map((part) => part.value).join("");
    expect([side("added"), side("removed")]).toEqual(["US-1", "US-7"]);
    expect(changes[1].parts.filter((part) => part.change === "added").map((part) => part.value.trim())).toEqual(["within 2 seconds"]);
    expect(changes[1].parts.some((part) => part.change === "removed")).toBe(false);
    expect(contentDiff(testCase.fields, before, before)).toEqual([]);
  });
});
