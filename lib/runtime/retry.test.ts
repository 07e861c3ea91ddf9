import { APICallError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyProviderError, delayBeforeRetry, retryAfterMs, type RetryPolicy } from "./retry";

const policy: RetryPolicy = { attemptsPerModel: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

function apiError(statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable = false) {
  return new APICallError({ message: `status ${statusCode}`, url: "http://x", requestBodyValues: {}, statusCode, responseHeaders: headers, isRetryable });
}

describe("backoff with full jitter", () => {
  it("waits between 0 and a ceiling that doubles per retry up to the maximum", () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    for (const retry of [1, 3, 9]) expect(backoffDelayMs(retry, policy, () => 0)).toBe(0);
  });

  it("spreads waits over the whole range rather than one point", () => {
    const draws = [0.1, 0.5, 0.9].map((value) => backoffDelayMs(3, policy, () => value));
    expect(draws).toEqual([40, 200, 360]);
  });
});

describe("retry-after", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");

  it("reads milliseconds, seconds and HTTP dates, in that order of preference", () => {
    expect(retryAfterMs({ "retry-after-ms": "1500", "retry-after": "9" }, now)).toBe(1_500);
    expect(retryAfterMs({ "Retry-After": "2" }, now)).toBe(2_000);
    expect(retryAfterMs({ "retry-after": "0.25" }, now)).toBe(250);
    expect(retryAfterMs({ "retry-after": "Sun, 01 Jun 2025 12:00:07 GMT" }, now)).toBe(7_000);
  });

  it("ignores what it cannot read and never waits a negative time", () => {
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeNull();
    expect(retryAfterMs({ "retry-after-ms": "-5" }, now)).toBeNull();
    expect(retryAfterMs({ "retry-after": "Sun, 01 Jun 2025 11:59:00 GMT" }, now)).toBe(0);
  });

  it("honours the provider's wait but caps it, and falls back to backoff when it said nothing", () => {
    const limited = classifyProviderError(apiError(429, { "retry-after": "3" }), { timedOut: false });
    expect(delayBeforeRetry(limited, 1, policy)).toBe(3_000);
    const greedy = classifyProviderError(apiError(429, { "retry-after": "3600" }), { timedOut: false });
    expect(delayBeforeRetry(greedy, 1, policy)).toBe(policy.maxRetryAfterMs);
    const silent = classifyProviderError(apiError(503), { timedOut: false });
    expect(delayBeforeRetry(silent, 2, policy, () => 0.5)).toBe(100);
  });
});

describe("which failures are worth a retry", () => {
  const kindOf = (error: unknown, timedOut = false) => {
    const failure = classifyProviderError(error, { timedOut });
    return [failure.kind, failure.retryable];
  };

  it("retries timeouts, rate limits, server errors and cut connections", () => {
    expect(kindOf(new DOMException("aborted", "AbortError"), true)).toEqual(["timeout", true]);
    expect(kindOf(apiError(429))).toEqual(["rate_limited", true]);
    expect(kindOf(apiError(500))).toEqual(["server_error", true]);
    expect(kindOf(apiError(503))).toEqual(["server_error", true]);
    expect(kindOf(apiError(408))).toEqual(["client_error", true]);
    expect(kindOf(apiError(409))).toEqual(["client_error", true]);
    expect(kindOf(apiError(undefined, {}, true))).toEqual(["connection", true]);
  });

  it("does not repeat a request the provider refused, nor one no provider could take", () => {
    expect(kindOf(apiError(400))).toEqual(["client_error", false]);
    expect(kindOf(apiError(401))).toEqual(["client_error", false]);
    expect(kindOf(apiError(404))).toEqual(["client_error", false]);
    expect(kindOf(new Error("The model openai:gpt-5 is not available: set OPENAI_API_KEY"))).toEqual(["unavailable", false]);
  });
});
