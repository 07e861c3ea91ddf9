import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { draftRequirements, draftUserStories } from "@/lib/models/offline";
import { checkRequirementDraft, checkUserStoryDraft } from "../quality";
import { requirementCategories, type QualityFlag } from "../schema";
import cases from "./golden-cases.json";

/**
 * Golden output: every check over the fixed cases of golden-cases.json, compared with the
 * committed golden-output.json, so a rule or word-list change shows everything else it moved.
 * After an intended change, regenerate and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run lib/requirements/checks/golden.test.ts
 */
const GOLDEN_FILE = join(import.meta.dirname, "golden-output.json");
const NEW_CHECKS = new Set(["malformed", "unfaithful", "suspected_injection", "tautological_story", "untestable_criterion"]);

type Row = { id: string; flags: QualityFlag[] };

const requirementRows: Row[] = cases.requirements.map((item) => {
  const category = requirementCategories.find((name) => name === item.category);
  if (!category) throw new Error(`${item.id}: unknown category ${item.category}`);
  const quote = "quote" in item && typeof item.quote === "string" ? item.quote : item.source;
  const draft = { statement: item.statement, category, sources: [{ sourceId: item.id, quote }] };
  return { id: item.id, flags: checkRequirementDraft(draft, new Map([[item.id, item.source]])) };
});
const storyRows: Row[] = cases.stories.map((story) => ({ id: story.id, flags: checkUserStoryDraft(story) }));
const expected = new Map([...cases.requirements, ...cases.stories].map((item) => [item.id, item.expect]));

const newCodes = (row: Row) => row.flags.map((flag) => flag.code).filter((code) => NEW_CHECKS.has(code));

describe("golden output", () => {
  it("covers 60+ requirements from several domains, clean and broken", () => {
    expect(cases.requirements.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.requirements.map((item) => item.domain)).size).toBeGreaterThanOrEqual(6);
    expect(cases.requirements.filter((item) => item.expect.length === 0).length).toBeGreaterThanOrEqual(25);
  });

  it("matches golden-output.json", () => {
    const output = { requirements: requirementRows, stories: storyRows };
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN_FILE, JSON.stringify(output, null, 2) + "\n");
    expect(output).toEqual(JSON.parse(readFileSync(GOLDEN_FILE, "utf8")));
  });

  it.each([...requirementRows, ...storyRows].filter((row) => expected.get(row.id)?.length === 0))("raises no new flag on clean case $id", (row) => {
    expect(newCodes(row)).toEqual([]);
  });

  it.each([...requirementRows, ...storyRows].filter((row) => (expected.get(row.id)?.length ?? 0) > 0))("catches broken case $id", (row) => {
    expect(newCodes(row)).toEqual(expect.arrayContaining(expected.get(row.id) ?? []));
  });
});

describe("the offline drafter's demo drafts", () => {
  const project = { name: "Bike-share rider app", brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems." };
  const sources = loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note }));
  const sourceTexts = new Map(sources.map((source) => [source.id, source.text]));
  const draft = draftRequirements({ project, sources });

  // A reviewer who learns to ignore flags is worse than a missed flag: the new checks stay quiet on the demo's drafts.
  it("raise no malformed, unfaithful or injection flag on the demo requirements", () => {
    const flagged = draft.requirements.flatMap((requirement) => {
      const codes = newCodes({ id: requirement.id, flags: checkRequirementDraft(requirement, sourceTexts) });
      return codes.length > 0 ? [`${requirement.id} ${codes.join(",")}: ${requirement.statement}`] : [];
    });
    expect(flagged).toEqual([]);
  });

  it("raise no story flag on the demo stories: no criterion restates its goal as an ability", () => {
    const requirements = draft.requirements.map((requirement, index) => ({ ref: `REQ-${index + 1}`, statement: requirement.statement, category: requirement.category }));
    const { stories } = draftUserStories({ project, requirements });
    expect(stories.flatMap((story) => checkUserStoryDraft(story).map((flag) => `${story.id} ${flag.code}: ${flag.message}`))).toEqual([]);
  });
});
