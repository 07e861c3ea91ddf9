import { describe, expect, it } from "vitest";
import { addSlaMinutes, dueTime, ladderStep, rungTime, slaAmount, slaMinutesFrom, slaStatus, type LadderInput } from "./rules";

const at = (iso: string) => new Date(iso);

describe("due time", () => {
  it("adds wall-clock minutes without business hours, across nights and weekends", () => {
    expect(dueTime(at("2026-12-04T16:30:00Z"), { slaMinutes: 60, businessHours: false })).toEqual(at("2026-12-04T17:30:00Z"));
    expect(dueTime(at("2026-12-05T23:00:00Z"), { slaMinutes: 24 * 60, businessHours: false })).toEqual(at("2026-12-06T23:00:00Z"));
  });

  it("counts only Monday to Friday 09:00-17:00 UTC with business hours: Friday 16:30 + 60 minutes is Monday 09:30", () => {
    // 2026-12-04 is a Friday.
    expect(dueTime(at("2026-12-04T16:30:00Z"), { slaMinutes: 60, businessHours: true })).toEqual(at("2026-12-07T09:30:00Z"));
  });

  it("starts counting at the next opening when created outside business hours", () => {
    expect(addSlaMinutes(at("2026-12-05T12:00:00Z"), 30, true)).toEqual(at("2026-12-07T09:30:00Z"));
    expect(addSlaMinutes(at("2026-12-08T06:00:00Z"), 30, true)).toEqual(at("2026-12-08T09:30:00Z"));
    expect(addSlaMinutes(at("2026-12-08T17:00:00Z"), 30, true)).toEqual(at("2026-12-09T09:30:00Z"));
  });

  it("spreads a long SLA over several business days", () => {
    // Two business days (16 hours) from Thursday 10:00: Friday full, Monday until 10:00.
    expect(addSlaMinutes(at("2026-12-03T10:00:00Z"), 16 * 60, true)).toEqual(at("2026-12-07T10:00:00Z"));
    // Ending exactly at closing time stays on that day.
    expect(addSlaMinutes(at("2026-12-07T09:00:00Z"), 8 * 60, true)).toEqual(at("2026-12-07T17:00:00Z"));
  });

  it("gives each rung one more SLA period", () => {
    const settings = { slaMinutes: 60, businessHours: true };
    const created = at("2026-12-04T15:00:00Z");
    expect(rungTime(created, settings, 1)).toEqual(at("2026-12-04T16:00:00Z"));
    expect(rungTime(created, settings, 2)).toEqual(at("2026-12-04T17:00:00Z"));
    expect(rungTime(created, settings, 3)).toEqual(at("2026-12-07T10:00:00Z"));
  });
});

describe("ladder step", () => {
  const base: LadderInput = {
    createdAt: at("2026-12-07T09:00:00Z"),
    settings: { slaMinutes: 60, businessHours: false },
    level: 0,
    hasFallbackOwner: true,
    now: at("2026-12-07T09:59:00Z"),
  };

  it("does nothing before the item is due", () => {
    expect(ladderStep(base)).toEqual({ dueAt: at("2026-12-07T10:00:00Z"), overdue: false, next: null });
  });

  it("reminds when due, then escalates to the owner and the fallback owner one period apart", () => {
    expect(ladderStep({ ...base, now: at("2026-12-07T10:00:00Z") }).next).toBe(1);
    expect(ladderStep({ ...base, level: 1, now: at("2026-12-07T10:30:00Z") })).toMatchObject({ overdue: true, next: null });
    expect(ladderStep({ ...base, level: 1, now: at("2026-12-07T11:00:00Z") }).next).toBe(2);
    expect(ladderStep({ ...base, level: 2, now: at("2026-12-07T12:00:00Z") }).next).toBe(3);
    expect(ladderStep({ ...base, level: 3, now: at("2026-12-09T12:00:00Z") }).next).toBeNull();
  });

  it("climbs one rung per step even when the sweep comes late", () => {
    expect(ladderStep({ ...base, now: at("2026-12-08T09:00:00Z") }).next).toBe(1);
  });

  it("ends with the stage owner when no fallback owner is set", () => {
    expect(ladderStep({ ...base, level: 2, hasFallbackOwner: false, now: at("2026-12-09T09:00:00Z") }).next).toBeNull();
  });
});

describe("SLA units", () => {
  it("turns amounts into minutes, a day being a business day with business hours", () => {
    expect(slaMinutesFrom(90, "minutes", false)).toBe(90);
    expect(slaMinutesFrom(4, "hours", true)).toBe(240);
    expect(slaMinutesFrom(2, "days", false)).toBe(2880);
    expect(slaMinutesFrom(2, "days", true)).toBe(960);
  });

  it("shows minutes in the largest exact unit", () => {
    expect(slaAmount(2880, false)).toEqual({ amount: 2, unit: "days" });
    expect(slaAmount(960, true)).toEqual({ amount: 2, unit: "days" });
    expect(slaAmount(960, false)).toEqual({ amount: 16, unit: "hours" });
    expect(slaAmount(90, false)).toEqual({ amount: 90, unit: "minutes" });
  });
});

describe("SLA status on a card", () => {
  it("is null without an SLA, else the first due time, the rung and whether it is late", () => {
    const item = { createdAt: at("2026-12-04T16:30:00Z"), slaLevel: 1, slaMinutes: 60, slaBusinessHours: true };
    expect(slaStatus({ ...item, slaMinutes: null }, at("2026-12-08T00:00:00Z"))).toBeNull();
    expect(slaStatus(item, at("2026-12-07T09:29:00Z"))).toEqual({ dueAt: "2026-12-07T09:30:00.000Z", level: 1, overdue: false });
    expect(slaStatus(item, at("2026-12-07T09:30:00Z"))?.overdue).toBe(true);
  });
});
