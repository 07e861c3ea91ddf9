import { describe, expect, it } from "vitest";
import { z } from "zod";
import { artifactKinds, artifactRef, checkContent, isArtifactKind, kindDefinition, kindPresentations, parseContent } from "./registry";

const requirement = { statement: "The system must send a reminder 3 days before a loan is due.", category: "functional", sources: [], unsure: null };
const story = {
  role: "member",
  goal: "a reminder before my loan is due",
  benefit: "I return books on time",
  acceptanceCriteria: [{ given: "a loan due in 3 days", when: "the nightly job runs", then: "the member gets one reminder email" }],
  requirementRefs: ["REQ-1"],
  unsure: null,
};

describe("the artifact-kind registry", () => {
  it("gives every kind one name and one reference prefix", () => {
    expect(new Set(artifactKinds).size).toBe(artifactKinds.length);
    const prefixes = artifactKinds.map((kind) => kindDefinition(kind).prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(artifactRef("requirement", 3)).toBe("REQ-3");
    expect(artifactRef("user_story", 7)).toBe("US-7");
  });

  it("describes only fields its content contract has", () => {
    for (const kind of artifactKinds) {
      const schema = kindDefinition(kind).contentSchema;
      expect(schema, kind).toBeInstanceOf(z.ZodObject);
      const keys = Object.keys((schema as z.ZodObject).shape);
      for (const field of kindDefinition(kind).fields) expect(keys, `${kind}.${field.key}`).toContain(field.key);
    }
  });

  it("hands the browser plain data, without the checks", () => {
    const presentations = kindPresentations();
    expect(Object.keys(presentations)).toEqual(artifactKinds);
    expect(JSON.parse(JSON.stringify(presentations))).toEqual(presentations);
    expect(presentations.user_story).toMatchObject({ prefix: "US", label: "User story", tone: "violet" });
  });

  it("parses content against its kind's contract and says what is wrong", () => {
    expect(parseContent("requirement", requirement).success).toBe(true);
    expect(parseContent("user_story", story).success).toBe(true);
    const bad = parseContent("user_story", { ...story, acceptanceCriteria: [] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/at least one acceptance criterion/);
  });

  it("checks quality with the kind's own checks", () => {
    expect(checkContent("requirement", requirement)).toEqual([]);
    const vague = checkContent("requirement", { ...requirement, statement: "The system should be fast and user-friendly." });
    expect(vague.map((flag) => flag.code)).toContain("vague_wording");
    expect(checkContent("user_story", story)).toEqual([]);
  });

  it("refuses a kind nobody registered", () => {
    expect(isArtifactKind("requirement")).toBe(true);
    expect(isArtifactKind("poem")).toBe(false);
    expect(() => kindDefinition("poem")).toThrow(/No artifact kind 'poem'/);
  });
});
