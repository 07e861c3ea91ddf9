import { describe, expect, it } from "vitest";
import type { TierOutcome } from "./call";
import { draftInTiers, escalationGroup, escalationReason, mergedDraft, narrowSources, passageBasis, type CascadeStep, type ItemJudgement } from "./cascade";

type Call = { lines: string[] };
const item = (id: string, line: string, confidence: number) => ({ id, line, confidence, unsure: null as string | null });

/** A step whose input is a list of lines and whose drafts name the line they rest on. */
const step: CascadeStep<Call> = {
  listKey: "items",
  salvage: (rawText) => {
    try {
      const parsed = JSON.parse(rawText) as { items?: unknown[] };
      if (!Array.isArray(parsed.items)) return null;
      const valid = parsed.items.filter((entry) => typeof (entry as { line?: unknown }).line === "string");
      return { valid, invalid: parsed.items.filter((entry) => !valid.includes(entry)).map((raw) => ({ raw, problem: "line: required" })) };
    } catch {
      return null;
    }
  },
  basisOf: (entry) => (typeof (entry as { line?: unknown }).line === "string" ? [(entry as { line: string }).line] : null),
  narrowed: (basis) => ({ lines: [...basis] }),
};

const judge = (entry: Record<string, unknown>): ItemJudgement => ({
  confidence: entry.confidence as number,
  unsure: (entry.unsure as string | null) ?? null,
  calibratedProbability: entry.confidence as number,
});

const ok = (model: string, items: unknown[], extra: Record<string, unknown> = {}): TierOutcome<Record<string, unknown>> => ({ status: "ok", model, output: { items, ...extra }, rawText: "" });

describe("draftInTiers", () => {
  it("re-drafts only the uncertain drafts with the next tier, asking it about their lines alone", async () => {
    const asked: [number, Call][] = [];
    const result = await draftInTiers<Call>({
      tiers: [
        { modelIds: ["cheap"], escalateWhen: { belowConfidence: 0.8 } },
        { modelIds: ["strong"], escalateWhen: {} },
      ],
      step,
      fullCall: { lines: ["a", "b", "c"] },
      draft: async (tier, _models, call) => {
        asked.push([tier, call]);
        return tier === 0
          ? ok("cheap", [item("R1", "a", 0.9), item("R2", "b", 0.5), item("R3", "c", 0.95)], { conflicts: [{ ids: ["R2", "R3"] }] })
          : ok("strong", call.lines.map((line, index) => item(`R${index + 1}`, line, 0.9)), { conflicts: [{ ids: ["R1"] }] });
      },
      judge,
    });
    expect(asked).toEqual([
      [0, { lines: ["a", "b", "c"] }],
      [1, { lines: ["b"] }],
    ]);
    if (result.status !== "drafted") throw new Error("expected drafts");
    expect(result.items.map((entry) => [entry.id, entry.line])).toEqual([
      ["R1", "a"],
      ["R3", "c"],
      ["t1.R1", "b"],
    ]);
    expect(result.drafters).toEqual({ R1: { model: "cheap", tier: 0 }, R3: { model: "cheap", tier: 0 }, "t1.R1": { model: "strong", tier: 1 } });
    // Ids the strong tier's other parts name are renamed with its items.
    expect(mergedDraft(result.items, result.extras, "items", (items) => ({ items, conflicts: [] })).conflicts).toEqual([{ ids: ["R2", "R3"] }, { ids: ["t1.R1"] }]);
    expect(result.tiers.map(({ tier, drafted, escalated }) => [tier, drafted, escalated])).toEqual([
      [0, 3, 1],
      [1, 1, 0],
    ]);
  });

  it("sends the whole input up when a broken reply's basis is unknown, and the next tier's draft replaces everything", async () => {
    const asked: Call[] = [];
    const result = await draftInTiers<Call>({
      tiers: [
        { modelIds: ["cheap"], escalateWhen: { contractViolation: true } },
        { modelIds: ["strong"], escalateWhen: {} },
      ],
      step,
      fullCall: { lines: ["a", "b"] },
      draft: async (tier, _models, call) => {
        asked.push(call);
        return tier === 0 ? { status: "contract_violation", model: "cheap", replies: ["not json", "still not json"], issues: [{ path: "", message: "the reply is not JSON" }] } : ok("strong", [item("R1", "a", 0.9), item("R2", "b", 0.9)], { questions: ["q"] });
      },
      judge,
    });
    expect(asked).toEqual([{ lines: ["a", "b"] }, { lines: ["a", "b"] }]);
    if (result.status !== "drafted") throw new Error("expected drafts");
    expect(result.violations).toEqual([]);
    expect(result.items.map((entry) => entry.line)).toEqual(["a", "b"]);
    expect(result.extras).toEqual([{ questions: ["q"] }]);
    expect(result.brokenReplies).toBe(1);
  });

  it("without a way to cut the input, re-drafts all of it and keeps only the next tier's draft", async () => {
    const asked: Call[] = [];
    const result = await draftInTiers<Call>({
      tiers: [
        { modelIds: ["cheap"], escalateWhen: { belowConfidence: 0.5 } },
        { modelIds: ["strong"], escalateWhen: {} },
      ],
      step: { ...step, narrowed: undefined },
      fullCall: { lines: ["a", "b"] },
      draft: async (tier, _models, call) => {
        asked.push(call);
        return tier === 0 ? ok("cheap", [item("R1", "a", 0.9), item("R2", "b", 0.3)], { questions: ["old"] }) : ok("strong", [item("R1", "a", 0.9), item("R2", "b", 0.8)], { questions: ["new"] });
      },
      judge,
    });
    expect(asked).toEqual([{ lines: ["a", "b"] }, { lines: ["a", "b"] }]);
    if (result.status !== "drafted") throw new Error("expected drafts");
    expect(result.items.map((entry) => [entry.id, entry.confidence])).toEqual([
      ["t1.R1", 0.9],
      ["t1.R2", 0.8],
    ]);
    expect(result.extras).toEqual([{ questions: ["new"] }]);
  });

  it("keeps a broken reply's valid items and hands on its broken ones, with who drafted them", async () => {
    const result = await draftInTiers<Call>({
      tiers: [{ modelIds: ["only"], escalateWhen: {} }],
      step,
      fullCall: { lines: ["a"] },
      draft: async () => ({ status: "contract_violation", model: "only", replies: [JSON.stringify({ items: [item("R1", "a", 0.9), { id: "R2" }] })], issues: [{ path: "items.1.line", message: "required" }] }),
      judge,
    });
    if (result.status !== "drafted") throw new Error("expected drafts");
    expect(result.items.map((entry) => entry.id)).toEqual(["R1"]);
    expect(result.violations).toEqual([{ raw: { id: "R2" }, problem: "line: required", drafter: { model: "only", tier: 0 } }]);
  });

  it("lets the next tier draft everything when a tier's models all fail, and fails only when no tier drafted", async () => {
    const fallback = await draftInTiers<Call>({
      tiers: [
        { modelIds: ["cheap"], escalateWhen: { belowConfidence: 0.5 } },
        { modelIds: ["strong"], escalateWhen: {} },
      ],
      step,
      fullCall: { lines: ["a"] },
      draft: async (tier) => (tier === 0 ? { status: "provider_error", failures: ["cheap: 3 calls failed"] } : ok("strong", [item("R1", "a", 0.9)])),
      judge,
    });
    expect(fallback.status === "drafted" && fallback.drafters).toEqual({ "t1.R1": { model: "strong", tier: 1 } });

    const failed = await draftInTiers<Call>({
      tiers: [{ modelIds: ["cheap", "backup"], escalateWhen: {} }],
      step,
      fullCall: { lines: ["a"] },
      draft: async () => ({ status: "provider_error", failures: ["cheap: 3 calls failed", "backup: 1 call failed"] }),
      judge,
    });
    expect(failed).toMatchObject({ status: "failed", failures: ["cheap: 3 calls failed", "backup: 1 call failed"] });
  });

  it("marks what the last tier should have re-drafted when it fails, and keeps it", async () => {
    const result = await draftInTiers<Call>({
      tiers: [
        { modelIds: ["cheap"], escalateWhen: { unsure: true } },
        { modelIds: ["strong"], escalateWhen: {} },
      ],
      step,
      fullCall: { lines: ["a", "b"] },
      draft: async (tier) => (tier === 0 ? ok("cheap", [item("R1", "a", 0.9), { ...item("R2", "b", 0.9), unsure: "hedged" }]) : { status: "provider_error", failures: ["strong: 3 calls failed"] }),
      judge,
    });
    if (result.status !== "drafted") throw new Error("expected drafts");
    expect(result.items.map((entry) => entry.id)).toEqual(["R1", "R2"]);
    expect(result.providerErrors).toEqual({ R2: "every model asked to re-draft it failed: strong: 3 calls failed" });
  });
});

describe("escalation rules", () => {
  const drafter = { model: "cheap", tier: 0 };
  const piece = (entry: Record<string, unknown>) => ({ item: entry, violation: null, drafter });

  it("escalates on any rule that holds, and on nothing when no rule is set", () => {
    const hesitant = { confidence: 0.4, unsure: "hedged" };
    expect(escalationReason(piece(hesitant), {}, judge)).toBeNull();
    expect(escalationReason(piece(hesitant), { belowConfidence: 0.5 }, judge)).toBe("confidence 0.40 is below 0.5");
    expect(escalationReason(piece(hesitant), { belowCalibrated: 0.5 }, judge)).toBe("calibrated probability 0.400 is below 0.5");
    expect(escalationReason(piece(hesitant), { unsure: true }, judge)).toBe("the model was unsure: hedged");
    expect(escalationReason(piece({ confidence: 0.9, unsure: null }), { belowConfidence: 0.5, unsure: true }, judge)).toBeNull();
    const broken = { item: null, violation: { raw: {}, problem: "category: required" }, drafter };
    expect(escalationReason(broken, { contractViolation: true }, judge)).toBe("broke its contract (category: required)");
    expect(escalationReason(broken, { unsure: true }, judge)).toBeNull();
  });

  it("re-drafts together the drafts that share a part of the input, transitively", () => {
    const a = { basis: ["s1#0"] };
    const b = { basis: ["s1#0", "s1#1"] };
    const c = { basis: ["s1#1"] };
    const d = { basis: ["s2#4"] };
    const group = escalationGroup([a, b, c, d], [a]);
    expect([...group.pieces]).toEqual([a, b, c]);
    expect([...group.basis!].sort()).toEqual(["s1#0", "s1#1"]);
    expect(escalationGroup([a, { basis: null }], [{ basis: null }]).basis).toBeNull();
  });
});

describe("source passages", () => {
  const sources = [
    { id: "s1", title: "Interview", text: "Line zero.\nRiders must unlock fast.\nLine two." },
    { id: "s2", title: "Email", text: "Payments must be certified." },
  ];

  it("names the lines a quote lies on, or the whole source when the quote is not in it", () => {
    expect(passageBasis([{ sourceId: "s1", quote: "must unlock" }], sources)).toEqual(["s1#1"]);
    expect(passageBasis([{ sourceId: "s1", quote: "fast.\nLine two" }], sources)).toEqual(["s1#1", "s1#2"]);
    expect(passageBasis([{ sourceId: "s1", quote: "not there" }, { sourceId: "s9", quote: "x" }], sources)).toEqual(["s1", "s9"]);
  });

  it("cuts the sources down to the lines named, keeping whole sources named whole", () => {
    expect(narrowSources(sources, new Set(["s1#1", "s1#2"]))).toEqual([{ id: "s1", title: "Interview", text: "Riders must unlock fast.\nLine two." }]);
    expect(narrowSources(sources, new Set(["s2", "s1#0"]))).toEqual([
      { id: "s1", title: "Interview", text: "Line zero." },
      { id: "s2", title: "Email", text: "Payments must be certified." },
    ]);
    expect(narrowSources(sources, new Set(["s3#0"]))).toBeNull();
  });
});
