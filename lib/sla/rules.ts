/**
 * The SLA ladder of a stage, as pure functions of time (the sweep in service.ts passes `now`).
 * A pending item falls due slaMinutes after it was created; each further slaMinutes without a
 * decision climbs one rung: 1 reminds the reviewers (the claimer, when someone holds the item),
 * 2 escalates to the stage owner, 3 to the fallback owner an admin named. Nothing on the ladder
 * ever decides an item.
 *
 * With business hours, only Monday to Friday, 09:00-17:00 UTC count (the rule the Stage table
 * states): an item created on Friday at 16:30 with a 60-minute SLA falls due on Monday at 09:30.
 */
export const BUSINESS_DAY_START_HOUR = 9;
export const BUSINESS_DAY_END_HOUR = 17;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export const slaLevels = { none: 0, reminded: 1, owner: 2, fallbackOwner: 3 } as const;
export type SlaLevel = 0 | 1 | 2 | 3;

/** The longest SLA a stage may set: 30 days. */
export const MAX_SLA_MINUTES = 30 * 24 * 60;

export type SlaSettings = { slaMinutes: number; businessHours: boolean };

function isWeekday(at: Date): boolean {
  const day = at.getUTCDay();
  return day >= 1 && day <= 5;
}

function atHour(day: Date, hour: number): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour));
}

/** The first business instant at or after `at`: itself inside business hours, else the next opening. */
function nextBusinessInstant(at: Date): Date {
  let day = at;
  for (;;) {
    if (isWeekday(day)) {
      const open = atHour(day, BUSINESS_DAY_START_HOUR);
      const close = atHour(day, BUSINESS_DAY_END_HOUR);
      if (day.getTime() < open.getTime()) return open;
      if (day.getTime() < close.getTime()) return day;
    }
    // Midnight of the following day; its opening is found on the next pass.
    day = new Date(atHour(day, 0).getTime() + DAY_MS);
  }
}

/** `minutes` after `start`, counting only business hours when asked. */
export function addSlaMinutes(start: Date, minutes: number, businessHours: boolean): Date {
  if (!businessHours) return new Date(start.getTime() + minutes * MINUTE_MS);
  let at = nextBusinessInstant(start);
  let left = minutes * MINUTE_MS;
  for (;;) {
    const close = atHour(at, BUSINESS_DAY_END_HOUR);
    const open = close.getTime() - at.getTime();
    if (left <= open) return new Date(at.getTime() + left);
    left -= open;
    at = nextBusinessInstant(close);
  }
}

/** When an item created at `createdAt` falls due (the first rung). */
export function dueTime(createdAt: Date, settings: SlaSettings): Date {
  return addSlaMinutes(createdAt, settings.slaMinutes, settings.businessHours);
}

/** When the ladder reaches `level` (1, 2 or 3): one more SLA period per rung. */
export function rungTime(createdAt: Date, settings: SlaSettings, level: Exclude<SlaLevel, 0>): Date {
  return addSlaMinutes(createdAt, settings.slaMinutes * level, settings.businessHours);
}

export type LadderInput = {
  createdAt: Date;
  settings: SlaSettings;
  /** The rung the item is on now. */
  level: SlaLevel;
  /** Without a fallback owner the ladder ends with the stage owner. */
  hasFallbackOwner: boolean;
  now: Date;
};

export type LadderStep = {
  dueAt: Date;
  overdue: boolean;
  /** The rung to climb to now, or null when the next one is not due (or there is none). */
  next: Exclude<SlaLevel, 0> | null;
};

/** Where an item stands on the ladder at `now`: one rung at a time, so a late sweep never skips a step. */
export function ladderStep(input: LadderInput): LadderStep {
  const dueAt = dueTime(input.createdAt, input.settings);
  const overdue = input.now.getTime() >= dueAt.getTime();
  const top = input.hasFallbackOwner ? slaLevels.fallbackOwner : slaLevels.owner;
  if (input.level >= top) return { dueAt, overdue, next: null };
  const candidate = (input.level + 1) as Exclude<SlaLevel, 0>;
  const due = input.now.getTime() >= rungTime(input.createdAt, input.settings, candidate).getTime();
  return { dueAt, overdue, next: due ? candidate : null };
}

export const slaUnits = ["minutes", "hours", "days"] as const;
export type SlaUnit = (typeof slaUnits)[number];

/** Minutes in one unit; with business hours a day is a business day (8 hours). */
function unitMinutes(unit: SlaUnit, businessHours: boolean): number {
  if (unit === "minutes") return 1;
  if (unit === "hours") return 60;
  return businessHours ? (BUSINESS_DAY_END_HOUR - BUSINESS_DAY_START_HOUR) * 60 : 24 * 60;
}

/** A due time as a form gives it ("2 days", business hours or not) in minutes. */
export function slaMinutesFrom(amount: number, unit: SlaUnit, businessHours: boolean): number {
  return Math.round(amount * unitMinutes(unit, businessHours));
}

/** The largest whole unit that expresses the minutes exactly, for showing a stage's setting. */
export function slaAmount(minutes: number, businessHours: boolean): { amount: number; unit: SlaUnit } {
  for (const unit of ["days", "hours"] as const) {
    const size = unitMinutes(unit, businessHours);
    if (minutes % size === 0) return { amount: minutes / size, unit };
  }
  return { amount: minutes, unit: "minutes" };
}

export type SlaStatus = { dueAt: string; level: SlaLevel; overdue: boolean };

/** What an item's card shows of its SLA: when it fell (or falls) due, the rung reached, whether it is late; null without an SLA. */
export function slaStatus(item: { createdAt: Date; slaLevel: number; slaMinutes: number | null; slaBusinessHours: boolean }, now: Date): SlaStatus | null {
  if (item.slaMinutes === null) return null;
  const dueAt = dueTime(item.createdAt, { slaMinutes: item.slaMinutes, businessHours: item.slaBusinessHours });
  return { dueAt: dueAt.toISOString(), level: Math.min(Math.max(item.slaLevel, 0), 3) as SlaLevel, overdue: now.getTime() >= dueAt.getTime() };
}
