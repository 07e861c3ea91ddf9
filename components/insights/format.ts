/** Labels the insights charts share: periods, shares and durations, in words people read at a glance. */

/** A series colour per position: distinct hues that stay apart for the common kinds of colour blindness. */
export const seriesColours = ["#4f46e5", "#0f766e", "#d97706", "#be185d", "#0369a1", "#65a30d", "#7c3aed", "#71717a"];

/** "Mar 4", or "wk of Mar 2" for a week; periods are UTC days, so UTC keeps server and browser equal. */
export function periodLabel(period: string, interval: "day" | "week"): string {
  const label = new Date(`${period}T00:00:00.000Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });
  return interval === "week" ? `wk of ${label}` : label;
}

export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** Minutes under an hour, hours under two days, then days. */
export function formatHours(hours: number | null): string {
  if (hours === null) return "—";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}
