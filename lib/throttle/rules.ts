/**
 * Pure throttle arithmetic, kept apart from the database so the numbers can be read and tested
 * on their own.
 */

/** A fixed window: every hit between `start` and `end` counts against the same row. */
export function fixedWindow(now: number, windowMs: number): { index: number; end: number } {
  const index = Math.floor(now / windowMs);
  return { index, end: (index + 1) * windowMs };
}

export type BackoffPolicy = { freeFailures: number; firstDelayMs: number; maxDelayMs: number };

/**
 * How long to wait after the `failures`-th failure in a row: nothing for the first few typos,
 * then doubling from `firstDelayMs` up to `maxDelayMs`.
 */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 40);
  return Math.min(policy.firstDelayMs * 2 ** doublings, policy.maxDelayMs);
}
