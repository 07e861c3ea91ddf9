import { describe, expect, it } from "vitest";
import { approvalChance, listNarrowing, parseQueueFilter, queueSearch } from "./queue-filter";

describe("queue filter in the URL", () => {
  it("reads what the page gets and writes it back without defaults", () => {
    const filter = parseQueueFilter({ projectId: "p1", stage: "requirements", reason: ["audit_sample", "edited"], sort: "risk", mine: "1", item: "x" });
    expect(filter).toEqual({ projectId: "p1", stage: "requirements", reason: "audit_sample", sort: "risk", mine: "1" });
    expect(queueSearch(filter, { item: "x" })).toBe("?projectId=p1&stage=requirements&reason=audit_sample&mine=1&sort=risk&item=x");
    expect(queueSearch(parseQueueFilter({}))).toBe("");
  });
});

describe("queue order", () => {
  it("asks the server for the riskiest first across the whole queue, and for nothing when the order is the default", () => {
    expect(listNarrowing(parseQueueFilter({ sort: "risk" }), {})).toEqual({ sort: "risk" });
    expect(listNarrowing(parseQueueFilter({}), {})).toEqual({});
  });

  it("measures the chance of approval by calibration, else the drafter's confidence, else none", () => {
    expect(approvalChance(0.8, 0.3)).toBe(0.8);
    expect(approvalChance(0, 0.3)).toBe(0.3);
    expect(approvalChance(null, null)).toBe(0);
    expect(approvalChance(0.75, null)).toBe(0.75);
  });
});
