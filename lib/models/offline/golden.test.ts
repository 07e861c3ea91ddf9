import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import type { SynthesizeInput } from "@/lib/requirements/schema";
import { draftRequirements } from "./requirements";
import { HELD_OUT_TRANSCRIPTS, inputOf, SPOKEN_FORM_TRANSCRIPTS, TEST_NOTES, TRANSCRIPTS } from "./test-notes";

/**
 * The drafter's whole output on the demo notes and on our test notes, compared with committed
 * golden files, so a rule change shows everything else it moved. After a change you mean,
 * regenerate them and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run lib/models/offline/golden.test.ts
 */
const GOLDEN_DIRECTORY = join(import.meta.dirname, "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const demoProject = { name: "Bike-share rider app", brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems." };
const testProject = { name: "Operations tools", brief: "Tools for our staff and customers." };

const cases: [string, SynthesizeInput][] = [
  ["demo-bike-share", { project: demoProject, sources: loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note })) }],
  ...[TEST_NOTES.schoolLunch, TEST_NOTES.requirementsDocument, ...TRANSCRIPTS, ...HELD_OUT_TRANSCRIPTS, ...SPOKEN_FORM_TRANSCRIPTS].map((note): [string, SynthesizeInput] => [
    note.file.replace(/\.md$/, ""),
    inputOf(note, testProject),
  ]),
];

describe("golden output", () => {
  it.each(cases)("%s matches its golden file", (name, input) => {
    const file = join(GOLDEN_DIRECTORY, `${name}.json`);
    const actual = draftRequirements(input);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIRECTORY, { recursive: true });
      writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(existsSync(file), `${file} is missing: write it with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual, `${name}: regenerate with UPDATE_GOLDEN=1 if this change is intended`).toEqual(JSON.parse(readFileSync(file, "utf8")));
  });
});
