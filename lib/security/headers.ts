/**
 * The response headers every answer carries, decided here for the proxy (pages and API) and
 * next.config.ts (static files the proxy skips). Imported by next.config.ts, so this file uses
 * relative imports only and reads no environment.
 */
export type HeaderEntry = { key: string; value: string };

export const baseSecurityHeaders: readonly HeaderEntry[] = [
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Old browsers that ignore CSP frame-ancestors still honour this.
  { key: "X-Frame-Options", value: "DENY" },
];

/** JSON needs no scripts, styles or frames: the API's answers allow nothing (the proxy does not see most of them). */
export const apiContentSecurityPolicy: HeaderEntry = { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" };

/** Only sent over HTTPS: over plain HTTP browsers ignore it, and a proxy may serve both. */
export const strictTransportSecurity: HeaderEntry = { key: "Strict-Transport-Security", value: "max-age=31536000" };

/** A fresh, unguessable value per request; Next.js reads it back from the CSP request header. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Scripts run only with the request's nonce ('strict-dynamic' lets Next's nonce'd loader add its
 * chunks). Styles allow inline because React renders style attributes (progress bars), which a
 * nonce cannot cover; script-src carries the protection against injection.
 */
export function contentSecurityPolicy({ nonce, dev, https }: { nonce: string; dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // React in development rebuilds server error stacks with eval; production never evaluates strings.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain HTTP (a LAN install) upgrading would break every asset.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Served over HTTPS: directly, or behind a proxy that terminates TLS and says so. */
export function servedOverHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return new URL(request.url).protocol === "https:";
}

/** Sets every security header on a response the proxy sends or passes on. */
export function applySecurityHeaders(headers: Headers, request: Request, csp: string): void {
  for (const { key, value } of baseSecurityHeaders) headers.set(key, value);
  headers.set("Content-Security-Policy", csp);
  if (servedOverHttps(request)) headers.set(strictTransportSecurity.key, strictTransportSecurity.value);
}
