import { APICallError } from "@ai-sdk/provider";

/**
 * When a failed model call is tried again, and after how long. Pure: the call loop
 * (lib/runtime/call.ts) asks these functions and does the waiting, so every retry is its own
 * recorded call; the AI SDK's own retries are switched off.
 */
export type RetryPolicy = {
  /** calls of one model on one request before moving on to the next model (first try included) */
  attemptsPerModel: number;
  /** the backoff ceiling before the first retry; doubles each retry */
  baseDelayMs: number;
  /** the largest backoff ceiling */
  maxDelayMs: number;
  /** a provider asking for a longer pause than this is waited on only this long, then tried again (or left for the next model) */
  maxRetryAfterMs: number;
};

export const defaultRetryPolicy: RetryPolicy = { attemptsPerModel: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/** Why a call gave no reply, in the terms the call loop and the trace use. */
export type ProviderFailure = {
  kind: "timeout" | "rate_limited" | "server_error" | "connection" | "client_error" | "unavailable";
  /** the HTTP status, when the provider answered */
  status: number | null;
  /** worth trying the same model again */
  retryable: boolean;
  /** how long the provider asked us to wait (Retry-After), uncapped; null when it did not say */
  retryAfterMs: number | null;
  message: string;
};

/**
 * Full jitter: a random wait between 0 and an exponentially growing ceiling, so many workers
 * retrying after one outage do not hit the provider again in lockstep.
 * `retry` counts retries from 1.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait a provider asked for: `retry-after-ms` (OpenAI's milliseconds), else `retry-after` in
 * seconds or as an HTTP date. Null when absent or unreadable; never negative.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>> | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value.trim()]));
  const milliseconds = lower["retry-after-ms"];
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = lower["retry-after"];
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** How long to wait before retry number `retry` after this failure: what the provider asked for (capped), else the backoff. */
export function delayBeforeRetry(failure: ProviderFailure, retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (failure.retryAfterMs !== null) return Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelayMs(retry, policy, random);
}

// 408 (request timeout), 409 (conflict, e.g. a concurrent request) and 429 are the 4xx worth repeating.
const RETRYABLE_CLIENT_STATUS = new Set([408, 409, 429]);

/**
 * Sorts a failed call: timeouts (ours), 429 and 5xx and a connection cut short are retried; any
 * other 4xx (a bad key, an unknown model, a refused request) would fail again the same way, so
 * the loop moves on to the next model at once. So does anything that is not a provider's answer
 * (a model that is not configured here).
 */
export function classifyProviderError(error: unknown, context: { timedOut: boolean }): ProviderFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (context.timedOut) return { kind: "timeout", status: null, retryable: true, retryAfterMs: null, message };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? null;
    const wait = retryAfterMs(error.responseHeaders);
    if (status === null) return { kind: "connection", status, retryable: error.isRetryable, retryAfterMs: null, message };
    if (status === 429) return { kind: "rate_limited", status, retryable: true, retryAfterMs: wait, message };
    if (status >= 500) return { kind: "server_error", status, retryable: true, retryAfterMs: wait, message };
    return { kind: "client_error", status, retryable: RETRYABLE_CLIENT_STATUS.has(status), retryAfterMs: wait, message };
  }
  return { kind: "unavailable", status: null, retryable: false, retryAfterMs: null, message };
}
