import { describe, expect, it } from "vitest";
import { isPlaceholder } from "./placeholders";

describe("isPlaceholder", () => {
  it("matches a field's phrases whatever the case or a final full stop", () => {
    expect(isPlaceholder("runbookStep", "  Investigate. ")).toBe(true);
    expect(isPlaceholder("doneItem", "It works")).toBe(true);
    expect(isPlaceholder("alternative", "Status quo")).toBe(true);
  });

  it("keeps each field's phrases to that field", () => {
    expect(isPlaceholder("runbookStep", "monitor")).toBe(false);
    expect(isPlaceholder("rollbackStep", "monitor")).toBe(true);
  });

  it("allows a few empty trailing words only where the field says so", () => {
    expect(isPlaceholder("rollbackStep", "Roll back if needed")).toBe(true);
    expect(isPlaceholder("rollbackStep", "Roll back the release by redeploying tag v1.4 from the pipeline")).toBe(false);
    expect(isPlaceholder("rollbackStep", "Revert, then clear the cache")).toBe(false);
    expect(isPlaceholder("rollbackStep", "Reverted")).toBe(false);
    expect(isPlaceholder("runbookStep", "Escalate to someone")).toBe(false);
  });
});
