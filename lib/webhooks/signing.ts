import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * How a receiver knows a delivery came from us: X-Countersign-Signature is
 * `sha256=<hex HMAC-SHA256 of the raw body>` keyed with the endpoint's secret (the secret's
 * UTF-8 text is the key, as GitHub does, so receivers can paste it into any HMAC library).
 */
export const SIGNATURE_PREFIX = "sha256=";

/** A new endpoint secret: 32 random bytes, prefixed so secret scanners recognise a leaked one. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signBody(secret: string, body: string): string {
  return SIGNATURE_PREFIX + createHmac("sha256", secret).update(body, "utf8").digest("hex");
}

/** For receivers (and our tests): compares in constant time, so timing reveals nothing of the expected value. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
