import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { retryDelayMs, FIRST_RETRY_DELAY_MS, MAX_ATTEMPTS } from "./delivery";
import { newWebhookSecret, signBody, verifySignature } from "./signing";

describe("webhook signatures", () => {
  it("matches the published HMAC-SHA256 example receivers check against", () => {
    // GitHub's documented test vector: the same scheme, so receivers' existing code works.
    expect(signBody("It's a Secret to Everybody", "Hello, World!")).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  });

  it("signs the raw body byte for byte, with the endpoint's secret as the key", () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: "evt_1", event: "review_item.decided", data: { ref: "REQ-1", note: "naïve – ✓" } });
    const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(Buffer.from(body, "utf8")).digest("hex");
    expect(signBody(secret, body)).toBe(`sha256=${expected}`);
    expect(verifySignature(secret, body, `sha256=${expected}`)).toBe(true);
  });

  it("refuses a signature made with another secret, over another body, or missing", () => {
    const secret = newWebhookSecret();
    const body = '{"id":"evt_1"}';
    expect(verifySignature(newWebhookSecret(), body, signBody(secret, body))).toBe(false);
    expect(verifySignature(secret, '{"id":"evt_2"}', signBody(secret, body))).toBe(false);
    expect(verifySignature(secret, `${body} `, signBody(secret, body))).toBe(false);
    expect(verifySignature(secret, body, null)).toBe(false);
    expect(verifySignature(secret, body, "sha256=")).toBe(false);
  });

  it("makes a new secret of 32 random bytes each time", () => {
    const secrets = new Set(Array.from({ length: 50 }, newWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(Buffer.from(secret.replace(/^whsec_/, ""), "base64url")).toHaveLength(32);
  });
});

describe("webhook retry backoff", () => {
  it("doubles the wait after each failed attempt, with at most half again of jitter", () => {
    const least = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, () => 0));
    expect(least).toEqual([1, 2, 4, 8, 16, 32, 64].map((factor) => factor * FIRST_RETRY_DELAY_MS));
    expect(retryDelayMs(1, () => 0.999_999)).toBeLessThanOrEqual(1.5 * FIRST_RETRY_DELAY_MS);
    expect(retryDelayMs(3, () => 0.5)).toBe(4 * FIRST_RETRY_DELAY_MS * 1.25);
  });
});
