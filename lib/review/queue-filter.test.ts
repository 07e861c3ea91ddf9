import { describe, expect, it } from "vitest";
import { parseQueueFilter, queueSearch, riskOf, sortItems, type FilterableItem } from "./queue-filter";

const item = (id: string, createdAt: string, chance: number | null, kind = "requirement"): FilterableItem & { id: string } => ({
  id,
  kind,
  reasons: [],
  createdAt,
  calibratedProbability: chance,
  confidence: null,
});

describe("queue filter in the URL", () => {
  it("reads what the page gets and writes it back without defaults", () => {
    const filter = parseQueueFilter({ projectId: "p1", stage: "requirements", reason: ["audit_sample", "edited"], sort: "risk", mine: "1", item: "x" });
    expect(filter).toEqual({ projectId: "p1", stage: "requirements", reason: "audit_sample", sort: "risk", mine: "1" });
    expect(queueSearch(filter, { item: "x" })).toBe("?projectId=p1&stage=requirements&reason=audit_sample&mine=1&sort=risk&item=x");
    expect(queueSearch(parseQueueFilter({}))).toBe("");
  });
});

describe("queue order", () => {
  const items = [item("a", "2026-01-01T10:00:00Z", 0.9), item("b", "2026-01-01T09:00:00Z", 0.5), item("c", "2026-01-01T11:00:00Z", null), item("d", "2026-01-01T08:00:00Z", 0.9)];

  it("puts the oldest first", () => {
    expect(sortItems(items, "oldest").map((entry) => entry.id)).toEqual(["d", "b", "a", "c"]);
  });

  it("puts the riskiest first (nothing measured counts as riskiest), oldest first among equals", () => {
    expect(sortItems(items, "risk").map((entry) => entry.id)).toEqual(["c", "b", "d", "a"]);
  });

  it("counts a conflict as the riskiest", () => {
    expect(riskOf(item("x", "2026-01-01T00:00:00Z", 0.99, "conflict"))).toBe(1);
  });
});
