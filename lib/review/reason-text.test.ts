import { describe, expect, it } from "vitest";
import { adrFlagCodes } from "@/lib/kinds/adr/checks";
import { deploymentRiskFlagCodes } from "@/lib/kinds/deployment-risk/checks";
import { interfaceFlagCodes } from "@/lib/kinds/interface/checks";
import { milestoneFlagCodes } from "@/lib/kinds/milestone/checks";
import { releaseNoteFlagCodes } from "@/lib/kinds/release-note/checks";
import { runbookFlagCodes } from "@/lib/kinds/runbook/checks";
import { taskFlagCodes } from "@/lib/kinds/task/checks";
import { testCaseFlagCodes } from "@/lib/kinds/test-case/checks";
import { qualityFlagCodes } from "@/lib/requirements/schema";
import { routingReasonCodes } from "@/lib/routing/schema";
import { checkFlagText, plainDetail, plainReasons, reasonText, routingReasonText } from "./reason-text";

const everyFlagCode = [
  ...qualityFlagCodes,
  ...adrFlagCodes,
  ...deploymentRiskFlagCodes,
  ...interfaceFlagCodes,
  ...milestoneFlagCodes,
  ...releaseNoteFlagCodes,
  ...runbookFlagCodes,
  ...taskFlagCodes,
  ...testCaseFlagCodes,
];

/** A code (snake_case) or a draft-local id (R13) showing through to people. */
const internal = /\b[a-z]+_[a-z_]+\b|\bR\d+\b/;

describe("reason text", () => {
  it.each(routingReasonCodes)("has a label and an explanation for the routing reason %s, without codes", (code) => {
    const text = reasonText(code);
    expect(text).toBe(routingReasonText[code]);
    expect(text.label.length).toBeGreaterThan(3);
    expect(text.explanation).toMatch(/\.$/);
    expect(`${text.label} ${text.explanation}`).not.toMatch(internal);
  });

  it.each([...new Set(everyFlagCode)])("has words for the check flag %s", (code) => {
    expect(checkFlagText[code], code).toBeTruthy();
    expect(checkFlagText[code]).not.toMatch(internal);
  });

  it("has no words for codes no check produces", () => {
    expect(Object.keys(checkFlagText).sort()).toEqual([...new Set(everyFlagCode)].sort());
  });

  it("turns the codes inside a quality detail into words", () => {
    expect(plainDetail('the quality check flagged ambiguous_pronoun ("it"), compound')).toBe(
      'The quality check flagged unclear \u201cit\u201d or \u201cthey\u201d ("it"), several requirements in one.',
    );
  });

  it("drops the drafter's local ids from a conflict's detail", () => {
    const detail = plainDetail('REQ-3 and REQ-13 contradict each other: "Notes" says 5 minutes (R3: "Sessions end after 5 minutes", R13); elsewhere 10 (R7: "Ten minutes")');
    expect(detail).not.toMatch(/\bR\d+\b/);
    expect(detail).toContain("REQ-13");
    expect(detail).toContain('"Sessions end after 5 minutes"');
  });

  it("reads an unknown code as words, never as the code", () => {
    const [reason] = plainReasons([{ code: "some_new_rule", detail: "" }]);
    expect(`${reason.label} ${reason.explanation}`).not.toMatch(internal);
  });
});
