/** Number formats shared by tables: money, durations, token counts. */
export function formatUsd(value: number): string {
  if (value === 0) return "$0";
  if (value < 0.01) return `$${Number(value.toPrecision(2))}`;
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en");
}

export function shortHash(hash: string, length = 12): string {
  return hash.slice(0, length);
}
