import { backoffMs, fixedWindow, type BackoffPolicy } from "./rules";
import { block, claim, clear, countHit, uncountHit } from "./counter";

/**
 * Sign-in throttling, two keys per attempt:
 * - the address + email pair backs off exponentially after a few failures, so guessing one
 *   account from one place slows to a crawl while its owner, signing in from elsewhere, is not
 *   locked out by a stranger;
 * - the address has a ceiling on attempts across all emails (successes are given back), so one
 *   place cannot spray guesses over many accounts.
 * Both are counted before the password is checked, so parallel attempts cannot slip past.
 */
export const signInLimits = {
  addressWindowMs: 15 * 60_000,
  maxAttemptsPerAddress: 20,
  pair: { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000 } satisfies BackoffPolicy,
  /** How long a pair remembers its failures after the last attempt. */
  pairMemoryMs: 24 * 60 * 60_000,
  /** Longest a password check may hold a pair; argon2 takes tens of milliseconds. */
  checkLeaseMs: 10_000,
};

export type SignInGate =
  | { ok: true; succeeded: () => Promise<void>; failed: () => Promise<void> }
  | { ok: false; retryAfterMs: number };

/** Lets one sign-in attempt through to the password check, or says why and for how long not. */
export async function openSignInGate(address: string, email: string, now = Date.now()): Promise<SignInGate> {
  const addressKey = `sign-in:address:${address}`;
  const attempts = await countHit(addressKey, signInLimits.addressWindowMs, now);
  if (attempts > signInLimits.maxAttemptsPerAddress) {
    return { ok: false, retryAfterMs: fixedWindow(now, signInLimits.addressWindowMs).end - now };
  }
  const pairKey = `sign-in:pair:${address}|${email}`;
  const claimed = await claim(pairKey, signInLimits.checkLeaseMs, signInLimits.pairMemoryMs, now);
  if (!claimed.ok) return { ok: false, retryAfterMs: claimed.retryAfterMs };
  return {
    ok: true,
    succeeded: async () => {
      await clear(pairKey);
      await uncountHit(addressKey, signInLimits.addressWindowMs, now);
    },
    failed: () => block(pairKey, backoffMs(claimed.count, signInLimits.pair)),
  };
}
